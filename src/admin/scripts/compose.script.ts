import type { ConsoleApi } from './console-api.script.js';

interface PreviewPart {
  text: string;
  html?: string;
  graphemes?: number;
  limit?: number;
}
interface PreviewResult {
  previews: Array<{ protocol: string; parts: PreviewPart[]; warnings: string[] }>;
  unavailable: string[];
}

/** The composer: live per-network preview, image upload with alt text, save / submit / publish / schedule. Runs in the browser. */
export function composePage(api: ConsoleApi): void {
  const data = api.pageData<{ profileId: string; networks: Record<string, string> }>();
  const form = document.getElementById('compose') as HTMLFormElement;
  const previewArea = document.getElementById('preview-networks')!;
  const attachmentList = document.getElementById('attachments')!;
  const articleFields = document.getElementById('article-fields') as HTMLFieldSetElement;
  const attachments: Array<{ mediaId: string; altText: string }> = [];
  const value = (name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
  const kind = () => (form.querySelector('input[name="kind"]:checked') as HTMLInputElement).value;

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
      const result = await api.post<PreviewResult>(`/api/profiles/${data.profileId}/preview`, content());
      if (mine === sequence) draw(result);
    } catch (error) {
      if (mine === sequence) previewArea.replaceChildren(api.el('p', { class: 'error' }, (error as Error).message));
    }
  }

  function draw(result: PreviewResult): void {
    const cards: HTMLElement[] = result.previews.map((preview) => {
      const name = data.networks[preview.protocol] ?? preview.protocol;
      const count = preview.parts.length;
      const summary = count > 1 ? `${count} posts in a thread` : count === 1 ? 'one post' : 'nothing to publish';
      const list = api.el('ol', { class: 'parts' });
      preview.parts.forEach((part, index) => {
        const body = api.el('div', { class: part.html ? 'part-body' : 'part-body plain' });
        body.append(part.html ? api.sanitize(part.html) : part.text);
        const item = api.el('li', { class: 'part', 'data-part': String(index + 1) }, body);
        if (part.graphemes !== undefined) {
          const over = part.limit !== undefined && part.graphemes > part.limit;
          item.append(
            api.el(
              'p',
              { class: over ? 'count over' : 'count' },
              `${part.graphemes}${part.limit !== undefined ? ` / ${part.limit}` : ''} characters (graphemes)`,
            ),
          );
        }
        list.append(item);
      });
      const card = api.el(
        'section',
        { class: 'network', 'data-protocol': preview.protocol, 'aria-label': `${name} preview` },
        api.el('h3', {}, `${name}: ${summary}`),
        list,
      );
      if (preview.warnings.length)
        card.append(api.el('ul', { class: 'warnings' }, ...preview.warnings.map((warning) => api.el('li', {}, warning))));
      return card;
    });
    for (const protocol of result.unavailable) {
      cards.push(
        api.el(
          'section',
          { class: 'network unavailable', 'data-protocol': protocol, 'aria-label': `${data.networks[protocol] ?? protocol} preview` },
          api.el('h3', {}, data.networks[protocol] ?? protocol),
          api.el('p', {}, 'No preview: this network’s adapter is not running on this server.'),
        ),
      );
    }
    previewArea.replaceChildren(...cards);
  }

  function drawAttachments(): void {
    attachmentList.replaceChildren(
      ...attachments.map((attachment, index) => {
        const remove = api.el(
          'button',
          { type: 'button', class: 'secondary', 'aria-label': `Remove image: ${attachment.altText}` },
          'Remove',
        );
        remove.addEventListener('click', () => {
          attachments.splice(index, 1);
          drawAttachments();
          schedulePreview();
        });
        return api.el(
          'li',
          {},
          api.el('img', { src: `/media/${attachment.mediaId}`, alt: attachment.altText, width: '96' }),
          api.el('span', {}, attachment.altText),
          remove,
        );
      }),
    );
  }

  document.getElementById('upload')!.addEventListener('click', async () => {
    const file = (document.getElementById('media-file') as HTMLInputElement).files?.[0];
    const altInput = document.getElementById('media-alt') as HTMLInputElement;
    const altText = altInput.value.trim();
    if (!file) return api.announce('Choose an image first.', true);
    if (!altText) return api.announce('Describe the image (alt text) before uploading it.', true);
    const upload = new FormData();
    upload.append('file', file);
    upload.append('altText', altText);
    api.announce('Uploading…');
    try {
      const media = await api.post<{ id: string }>(`/api/profiles/${data.profileId}/media`, upload);
      attachments.push({ mediaId: media.id, altText });
      altInput.value = '';
      (document.getElementById('media-file') as HTMLInputElement).value = '';
      drawAttachments();
      schedulePreview();
      api.announce('Image attached.');
    } catch (error) {
      api.announce((error as Error).message, true);
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
    api.announce('Saving…');
    try {
      const post = await api.post<{ id: string }>(`/api/profiles/${data.profileId}/posts`, body);
      // Let a preview still on its way finish, so leaving the page aborts nothing.
      window.clearTimeout(timer);
      await inflight;
      location.href = `/admin/profiles/${data.profileId}/posts?created=${post.id}`;
    } catch (error) {
      api.announce((error as Error).message, true);
    }
  });

  showArticleFields();
  inflight = renderPreview();
}
