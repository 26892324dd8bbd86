/** Releases and environments (and, with the Web API, commits and deploys). */
export interface ReleasesStore {
  releases: {
    listByProject(projectId: number): Promise<{ version: string; firstSeen: number; lastSeen: number }[]>;
  };
  environments: {
    listByProject(projectId: number): Promise<string[]>;
  };
}
