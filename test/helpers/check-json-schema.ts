/**
 * A small JSON Schema (2020-12 subset) validator: the keywords z.toJSONSchema emits for the check
 * output (type, properties, required, additionalProperties, items, enum, const, anyOf, oneOf,
 * pattern). It validates the printed document against the published schema, independently of
 * the zod schema the code builds its output with.
 */
export function validateJsonSchema(schema: any, value: unknown, path = '$'): string[] {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${path}: no value allowed`];
  const errors: string[] = [];
  if (schema.anyOf && !schema.anyOf.some((s: any) => validateJsonSchema(s, value, path).length === 0)) {
    errors.push(`${path}: matches none of anyOf`);
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((s: any) => validateJsonSchema(s, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of oneOf, not exactly 1`);
  }
  if ('const' in schema && value !== schema.const)
    errors.push(`${path}: is not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t: string) => hasType(value, t))) {
      return [...errors, `${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 40)}`];
    }
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) {
    for (const [i, item] of value.entries()) {
      errors.push(...validateJsonSchema(schema.items, item, `${path}[${i}]`));
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${path}: missing ${key}`);
    for (const [key, child] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property !== undefined) errors.push(...validateJsonSchema(property, child, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${key}`);
      else if (typeof schema.additionalProperties === 'object') {
        errors.push(...validateJsonSchema(schema.additionalProperties, child, `${path}.${key}`));
      }
    }
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
