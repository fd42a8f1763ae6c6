import { z } from 'zod';
import type { Interaction } from '../../inbox/interaction.entity.js';
import type { Publication } from '../../posts/publication.entity.js';
import { parseWireRefs } from '../wire-refs.js';

/** A com.atproto.repo.strongRef: a record and the version of it that was seen. */
const strongRefSchema = z.object({ uri: z.string().startsWith('at://'), cid: z.string().min(1) });
export type StrongRef = z.infer<typeof strongRefSchema>;

/** A publication's remoteRefs on Bluesky: the record keys chosen before writing, then the written parts and their thread root. */
const publicationRefsSchema = z.object({
  rkeys: z.array(z.string().min(1)).optional(),
  parts: z.array(strongRefSchema).optional(),
  root: strongRefSchema.optional(),
});
export type AtprotoPublicationRefs = z.infer<typeof publicationRefsSchema>;

/** An interaction's replyRefs on Bluesky: the root and parent an answer to it carries. */
const replyRefsSchema = z.object({ root: strongRefSchema, parent: strongRefSchema });
export type AtprotoReplyRefs = z.infer<typeof replyRefsSchema>;

export function atprotoRefsOf(publication: Pick<Publication, 'id' | 'remoteRefs'>): AtprotoPublicationRefs {
  return parseWireRefs(publicationRefsSchema, publication.remoteRefs, `atproto publication ${publication.id}`);
}

export function atprotoReplyRefsOf(interaction: Pick<Interaction, 'id' | 'replyRefs'>): AtprotoReplyRefs {
  return parseWireRefs(replyRefsSchema, interaction.replyRefs, `atproto interaction ${interaction.id}`);
}
