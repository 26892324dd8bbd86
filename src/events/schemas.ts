import { z } from 'zod';

/** A query parameter that may repeat (`field=a&field=b`) arrives as a string or an array. */
const repeated = (max: number) =>
  z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.string().max(500)).max(max),
  );

const timeParams = {
  statsPeriod: z.string().max(20).optional(),
  start: z.string().max(40).optional(),
  end: z.string().max(40).optional(),
};

export const DiscoverInput = z.object({
  org: z.string(),
  field: repeated(30),
  query: z.string().max(2000).default(''),
  sort: repeated(5),
  orderby: repeated(5),
  project: repeated(100),
  environment: repeated(20),
  dataset: z.string().max(40).optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(100).optional(),
  ...timeParams,
});
export type DiscoverInput = z.infer<typeof DiscoverInput>;

export const EventListInput = z.object({
  query: z.string().max(2000).default(''),
  environment: repeated(20),
  sort: z.enum(['-timestamp', 'timestamp']).default('-timestamp'),
  full: z
    .string()
    .max(10)
    .default('false')
    .transform((v) => ['true', '1', 'yes'].includes(v.toLowerCase())),
  per_page: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z.string().max(100).optional(),
  ...timeParams,
});
export type EventListInput = z.infer<typeof EventListInput>;

export const TagKeysInput = z.object({
  project: repeated(100),
  statsPeriod: z.string().max(20).optional(),
});
