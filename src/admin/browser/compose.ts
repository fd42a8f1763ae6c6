import { announce, el, pageData, post } from './console-api.js';

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

/** The composer: live per-network preview, image upload with alt text, save / submit / publish / schedule. */
const data = pageData<{ profileId: string; networks: Record<string, string> }>();
const form = document.getElementById('compose') as HTMLFormElement;
const previewArea = document.getElementById('preview-networks')!;
const attachmentList = document.getElementById('attachments')!;
const articleFields = document.getElementById('article-fields') as HTMLFieldSetElement;
const attachments: Array<{ mediaId: string; altText: string }> = [];
const value = (name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
const kind = () => (form.querySelector('input[name="kind"]:checked') as HTMLInputElement).value;
const networkName = (protocol: string) => data.networks[protocol] ?? protocol;

function content(): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: kind(), text: (form.elements.namedItem('text') as HTMLTextAreaElement).value };
  const optional = kind() === 'article' ? ['title', 'summary', 'contentWarning', 'language'] : ['contentWarning', 'language'];
  for (const name of optional) if (value(name)) body[name] = value(name);
  if (attachments.length) body.attachments = attachments.map((attachment) => ({ ...attachment }));
  return body;
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
      el('ol', { class: 'parts' }, ...preview.parts.map(partItem)),
    );
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

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const action = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? 'draft';
  const body = content();
  const when = value('scheduledAt');
  if (when) body.scheduledAt = new Date(when).toISOString();
  body.status = action === 'published' && when ? 'scheduled' : action;
  announce('Saving…');
  try {
    const created = await post<{ id: string }>(`/api/profiles/${data.profileId}/posts`, body);
    // Let a preview still on its way finish, so leaving the page aborts nothing.
    window.clearTimeout(timer);
    await inflight;
    location.href = `/admin/profiles/${data.profileId}/posts?created=${created.id}`;
  } catch (error) {
    announce((error as Error).message, true);
  }
});

showArticleFields();
inflight = renderPreview();
