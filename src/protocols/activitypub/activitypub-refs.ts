import { z } from 'zod';
import type { Interaction } from '../../inbox/interaction.entity.js';
import type { Publication } from '../../posts/publication.entity.js';
import { parseWireRefs } from '../wire-refs.js';
import type { ResolvedMention } from './post-html.js';

const mentionSchema = z.object({ acct: z.string().min(1), href: z.url() }) satisfies z.ZodType<ResolvedMention>;

/** What the adapter settles before publishing (mentions, inReplyTo, whom it answers), so every rendering of the object agrees. */
const postObjectRefsSchema = z.object({
  mentions: z.array(mentionSchema).optional(),
  inReplyTo: z.url().nullable().optional(),
  /** The author of the answered interaction: a direct answer goes to them only. */
  answeredAuthor: z.url().nullable().optional(),
});
export type PostObjectRefs = z.infer<typeof postObjectRefsSchema>;

/** A publication's remoteRefs on ActivityPub: the settled refs, and when the object was last edited. */
const publicationRefsSchema = postObjectRefsSchema.extend({ updatedAt: z.iso.datetime().optional() });
export type ActivityPubPublicationRefs = z.infer<typeof publicationRefsSchema>;

/** An interaction's replyRefs on ActivityPub: the object an answer replies to, and where its author reads. */
const replyRefsSchema = z.object({
  objectId: z.url(),
  authorId: z.url(),
  authorAcct: z.string().nullable(),
  authorInbox: z.url().nullable(),
  authorSharedInbox: z.url().nullable(),
});
export type ActivityPubReplyRefs = z.infer<typeof replyRefsSchema>;

export function activityPubRefsOf(publication: Pick<Publication, 'id' | 'remoteRefs'>): ActivityPubPublicationRefs {
  return parseWireRefs(publicationRefsSchema, publication.remoteRefs, `activitypub publication ${publication.id}`);
}

export function activityPubReplyRefsOf(interaction: Pick<Interaction, 'id' | 'replyRefs'>): ActivityPubReplyRefs {
  return parseWireRefs(replyRefsSchema, interaction.replyRefs, `activitypub interaction ${interaction.id}`);
}
