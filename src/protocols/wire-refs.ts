import type { z } from 'zod';
import { AdapterError } from '../publishing/protocol-adapter.js';

/**
 * Reads wire references an adapter stored earlier (publication.remoteRefs,
 * interaction.replyRefs). A row that does not match is a permanent failure
 * that names the row and the fields, not a crash further in.
 */
export function parseWireRefs<T>(schema: z.ZodType<T>, value: unknown, whose: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new AdapterError(`${whose} has unreadable references: ${problems.join('; ')}`, 'permanent', { cause: parsed.error });
}
