import { announce, el, pageData, patch, post } from './console-api.js';

interface PreviewPart {
  text: string;
  /** Rendered for the network and sanitised by the server: safe to insert as HTML. */
  html?: string;
  graphemes?: number;
  limit?: number;
}
interface PreviewResult {
  previews: Array<{ protocol: string; parts: PreviewPart[]; warnings: string[] }>;
  unavailable: string[];
}

interface EditedPost {
  id: string;
  status: string;
  attachments: Array<{ mediaId: string; altText: string }>;
  scheduledAt: string | null;
}

/**
 * The composer: live per-network preview, image upload with alt text, save / submit / publish / schedule.
 * With a post in the page data it edits that post (a draft, one waiting for approval, a scheduled or a published one);
 * with a thread parent it writes the next post of that thread.
 */
const data = pageData<{
  profileId: string;
  networks: Record<string, string>;
  limits: { note: number; article: number };
  post: EditedPost | null;
  /** The published post this one continues, when continuing a thread. */
  threadParent: { id: string; excerpt: string } | null;
}>();
const editing = data.post;
const form = document.getElementById('compose') as HTMLFormElement;
const previewArea = document.getElementById('preview-networks')!;
const attachmentList = document.getElementById('attachments')!;
const articleFields = document.getElementById('article-fields') as HTMLFieldSetElement;
const attachments: Array<{ mediaId: string; altText: string }> = editing ? [...editing.attachments] : [];
const textArea = form.elements.namedItem('text') as HTMLTextAreaElement;
const textCount = document.getElementById('text-count')!;
const value = (name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
const kind = () => (form.querySelector('input[name="kind"]:checked') as HTMLInputElement).value;
const networkName = (protocol: string) => data.networks[protocol] ?? protocol;

function content(): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: kind(), text: textArea.value };
  const optional = kind() === 'article' ? ['title', 'summary', 'contentWarning', 'language'] : ['contentWarning', 'language'];
  for (const name of optional) if (value(name)) body[name] = value(name);
  if (attachments.length) body.attachments = attachments.map((attachment) => ({ ...attachment }));
  return body;
}

/** An edit sends every field, a cleared one as null, so clearing a content warning removes it; the kind stays. */
function changes(): Record<string, unknown> {
  const { kind: _kind, ...body } = content();
  for (const name of ['summary', 'contentWarning', 'language']) body[name] = value(name) || null;
  if (kind() === 'article') body.title = value('title');
  body.attachments = attachments.map((attachment) => ({ ...attachment }));
  return body;
}

const textLimit = () => (kind() === 'article' ? data.limits.article : data.limits.note);
const characters = (text: string) => [...text].length;

/** The hard limit, said while typing: the server refuses the same. */
function showCount(): boolean {
  const length = characters(textArea.value);
  const over = length > textLimit();
  textCount.textContent = over
    ? `${length.toLocaleString('en')} / ${textLimit().toLocaleString('en')} characters: too long to publish${kind() === 'note' ? '; shorten it, or make it an article' : ''}`
    : `${length.toLocaleString('en')} / ${textLimit().toLocaleString('en')} characters`;
  textCount.classList.toggle('over', over);
  return !over;
}

function showArticleFields(): void {
  articleFields.hidden = kind() !== 'article';
}

let timer: number | undefined;
let sequence = 0;
let inflight: Promise<void> = Promise.resolve();
function schedulePreview(): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => {
    inflight = renderPreview();
  }, 200);
}

async function renderPreview(): Promise<void> {
  const mine = ++sequence;
  if (!showCount()) {
    previewArea.replaceChildren(el('p', { class: 'error' }, 'No preview: the text is longer than a post may be.'));
    return;
  }
  try {
    const result = await post<PreviewResult>(`/api/profiles/${data.profileId}/preview`, content());
    if (mine === sequence) draw(result);
  } catch (error) {
    if (mine === sequence) previewArea.replaceChildren(el('p', { class: 'error' }, (error as Error).message));
  }
}

function partItem(part: PreviewPart, index: number): HTMLElement {
  const body = el('div', { class: part.html ? 'part-body' : 'part-body plain' });
  if (part.html) body.innerHTML = part.html;
  else body.textContent = part.text;
  const item = el('li', { class: 'part', 'data-part': String(index + 1) }, body);
  if (part.graphemes !== undefined) {
    const over = part.limit !== undefined && part.graphemes > part.limit;
    const of = part.limit !== undefined ? ` / ${part.limit}` : '';
    item.append(el('p', { class: over ? 'count over' : 'count' }, `${part.graphemes}${of} characters (graphemes)`));
  }
  return item;
}

function draw(result: PreviewResult): void {
  const cards: HTMLElement[] = result.previews.map((preview) => {
    const name = networkName(preview.protocol);
    const count = preview.parts.length;
    const summary = count > 1 ? `${count} posts in a thread` : count === 1 ? 'one post' : 'nothing to publish';
    const card = el(
      'section',
      { class: 'network', 'data-protocol': preview.protocol, 'aria-label': `${name} preview` },
      el('h3', {}, `${name}: ${summary}`),
    );
    if (data.threadParent) card.append(el('p', { class: 'thread-parent' }, `Continues the thread after: ${data.threadParent.excerpt}`));
    // What readers see first: the warning, the text behind it, then the images with their descriptions.
    const warning = value('contentWarning');
    if (warning) card.append(el('p', { class: 'content-warning' }, `Content warning: ${warning}`));
    card.append(el('ol', { class: 'parts' }, ...preview.parts.map(partItem)));
    if (attachments.length) {
      card.append(
        el(
          'ul',
          { class: 'preview-images', 'aria-label': `Images on ${name}` },
          ...attachments.map((attachment) =>
            el('li', {}, el('img', { src: `/media/${attachment.mediaId}`, alt: attachment.altText, width: '120' })),
          ),
        ),
      );
    }
    if (preview.warnings.length) card.append(el('ul', { class: 'warnings' }, ...preview.warnings.map((warning) => el('li', {}, warning))));
    return card;
  });
  for (const protocol of result.unavailable) {
    cards.push(
      el(
        'section',
        { class: 'network unavailable', 'data-protocol': protocol, 'aria-label': `${networkName(protocol)} preview` },
        el('h3', {}, networkName(protocol)),
        el('p', {}, 'No preview: this network’s adapter is not running on this server.'),
      ),
    );
  }
  previewArea.replaceChildren(...cards);
}

function drawAttachments(): void {
  attachmentList.replaceChildren(
    ...attachments.map((attachment, index) => {
      const label = `Remove image: ${attachment.altText}`;
      const removeButton = el('button', { type: 'button', class: 'secondary', 'aria-label': label }, 'Remove');
      removeButton.addEventListener('click', () => {
        attachments.splice(index, 1);
        drawAttachments();
        schedulePreview();
      });
      return el(
        'li',
        {},
        el('img', { src: `/media/${attachment.mediaId}`, alt: attachment.altText, width: '96' }),
        el('span', {}, attachment.altText),
        removeButton,
      );
    }),
  );
}

document.getElementById('upload')!.addEventListener('click', async () => {
  const fileInput = document.getElementById('media-file') as HTMLInputElement;
  const altInput = document.getElementById('media-alt') as HTMLInputElement;
  const file = fileInput.files?.[0];
  const altText = altInput.value.trim();
  if (!file) return announce('Choose an image first.', true);
  if (!altText) return announce('Describe the image (alt text) before uploading it.', true);
  const upload = new FormData();
  upload.append('file', file);
  upload.append('altText', altText);
  announce('Uploading…');
  try {
    const media = await post<{ id: string }>(`/api/profiles/${data.profileId}/media`, upload);
    attachments.push({ mediaId: media.id, altText });
    altInput.value = '';
    fileInput.value = '';
    drawAttachments();
    schedulePreview();
    announce('Image attached.');
  } catch (error) {
    announce((error as Error).message, true);
  }
});

form.addEventListener('input', schedulePreview);
form.addEventListener('change', () => {
  showArticleFields();
  schedulePreview();
});

/** Saves a new post with the chosen status. */
async function create(action: string, when: string): Promise<string> {
  const body = content();
  if (when) body.scheduledAt = new Date(when).toISOString();
  body.status = action === 'published' && when ? 'scheduled' : action;
  if (data.threadParent) body.threadParentId = data.threadParent.id;
  return (await post<{ id: string }>(`/api/profiles/${data.profileId}/posts`, body)).id;
}

/**
 * Saves the edited post, then moves it on: a scheduled post's new time reschedules it. A published post's edit
 * goes out at once, or waits for an approver where the profile requires one (the server decides, by role).
 */
async function update(edited: EditedPost, action: string, when: string): Promise<string> {
  const body = changes();
  if (edited.status === 'scheduled') body.scheduledAt = new Date(when).toISOString();
  await patch(`/api/posts/${edited.id}`, body);
  if (action === 'in_review') await post(`/api/posts/${edited.id}/submit`);
  if (action === 'published') await post(`/api/posts/${edited.id}/publish`, when ? { scheduledAt: new Date(when).toISOString() } : {});
  return edited.id;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!showCount()) return announce(textCount.textContent ?? '', true);
  const action = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? 'draft';
  const when = value('scheduledAt');
  if (editing?.status === 'scheduled' && !when) return announce('Choose when to publish it, or unschedule it from the post list.', true);
  announce('Saving…');
  try {
    const id = editing ? await update(editing, action, when) : await create(action, when);
    // Let a preview still on its way finish, so leaving the page aborts nothing.
    window.clearTimeout(timer);
    await inflight;
    location.href = `/admin/profiles/${data.profileId}/posts?created=${id}`;
  } catch (error) {
    announce((error as Error).message, true);
  }
});

/** datetime-local wants the browser's local time, without a zone. */
function localInputValue(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

if (editing?.scheduledAt) (form.elements.namedItem('scheduledAt') as HTMLInputElement).value = localInputValue(editing.scheduledAt);
drawAttachments();
showArticleFields();
inflight = renderPreview();
