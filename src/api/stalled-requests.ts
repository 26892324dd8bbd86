import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Node stops enforcing the request timeout once a server closes, so a client that never finishes
 * sending a request would hold a shutdown open forever. This tracks each connection's current
 * request; the function it returns cuts the connections with no request fully received (idle,
 * still sending headers, or still sending a body) and leaves those whose request is whole and
 * being answered, so no event that arrived is dropped mid-commit.
 */
export function trackStalledRequests(server: Server): () => void {
  const connections = new Set<Socket>();
  const current = new Map<Socket, IncomingMessage>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => {
      connections.delete(socket);
      current.delete(socket);
    });
  });
  server.on('request', (request: IncomingMessage, response) => {
    current.set(request.socket, request);
    response.once('close', () => {
      if (current.get(request.socket) === request) current.delete(request.socket);
    });
  });
  return () => {
    for (const socket of connections) {
      if (!current.get(socket)?.complete) socket.destroy();
    }
  };
}
