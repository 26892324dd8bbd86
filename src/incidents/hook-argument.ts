import { z } from 'zod';

// Release, environment and owner reach command hooks as arguments: a leading '-' would read as an
// option. Triage takes an environment by the same rule, so it names only what a mitigation could.
export const Argument = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^-\s][^\n\r\t]*$/, 'must not start with "-" or contain line breaks or tabs');
