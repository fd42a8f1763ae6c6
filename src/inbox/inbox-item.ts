import type { Interaction } from './interaction.entity.js';

/** An interaction as the console and the API see it: one shape for every protocol. */
export interface InboxItem {
  id: string;
  profileId: string;
  protocol: Interaction['protocol'];
  kind: Interaction['kind'];
  /** Who the remote post was addressed to: public, unlisted, followers (only) or direct. */
  audience: Interaction['audience'];
  /** A reaction's emoji: unicode, or a custom `:name:` with its image URL. */
  reaction: Interaction['reaction'];
  author: { id: string; handle: string | null; name: string | null; avatarUrl: string | null; url: string | null; domain: string | null };
  /** Sanitised at arrival: safe to render as HTML. */
  contentHtml: string | null;
  contentText: string | null;
  targetPostId: string | null;
  parentRemoteId: string | null;
  /** The original on its network. */
  url: string | null;
  remoteCreatedAt: Date | null;
  receivedAt: Date;
  state: Interaction['state'];
  assigneeId: string | null;
  labels: string[];
  withdrawnAt: Date | null;
}

export function toInboxItem(interaction: Interaction): InboxItem {
  return {
    id: interaction.id,
    profileId: interaction.profileId,
    protocol: interaction.protocol,
    kind: interaction.kind,
    audience: interaction.audience,
    reaction: interaction.reaction,
    author: {
      id: interaction.authorId,
      handle: interaction.authorHandle,
      name: interaction.authorName,
      avatarUrl: interaction.authorAvatarUrl,
      url: interaction.authorUrl,
      domain: interaction.authorDomain,
    },
    contentHtml: interaction.contentHtml,
    contentText: interaction.contentText,
    targetPostId: interaction.targetPostId,
    parentRemoteId: interaction.parentRemoteId,
    url: interaction.url,
    remoteCreatedAt: interaction.remoteCreatedAt,
    receivedAt: interaction.receivedAt,
    state: interaction.state,
    assigneeId: interaction.assigneeId,
    labels: interaction.labels,
    withdrawnAt: interaction.withdrawnAt,
  };
}
