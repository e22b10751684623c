import { ChatClient, newClientId } from '@peakdesk/chat-client';
import type { TConversation, TMessage, TQueuePosition, TWidgetSession } from '@peakdesk/contracts';
import { type WidgetStrings, widgetStrings } from './widget-i18n.ts';
import { widgetCss } from './widget-style.ts';

/**
 * The embeddable customer widget: `<script src="https://host/widget.js" data-store="STORE_ID">`.
 * Optional: data-lang="en", and a merchant-signed buyer identity (data-buyer-id, data-buyer-name,
 * data-buyer-signature = hex HMAC-SHA256(store identity secret, buyer id)).
 * Everything a customer or agent wrote is inserted with textContent: never parsed as HTML.
 */
type Options = {
  base: string;
  storeId: string;
  lang?: string | undefined;
  buyer?: { buyerId: string; name?: string | undefined; signature: string } | undefined;
};

/** An API error with the field the server named (`{code, message, field}`), so a form can show it there. */
class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Appends text with http(s) URLs turned into links. Built from text nodes and anchors whose href
 * went through the URL parser: no markup from the message is ever interpreted.
 */
export function appendLinkified(parent: HTMLElement, text: string): void {
  const urlPattern = /https?:\/\/[^\s<>"'，。！？、）)】]+/g;
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index ?? 0;
    if (start > last) parent.append(document.createTextNode(text.slice(last, start)));
    let href: URL | null = null;
    try {
      href = new URL(match[0]);
    } catch {
      href = null;
    }
    if (href && (href.protocol === 'http:' || href.protocol === 'https:')) {
      const a = el('a', undefined, match[0]);
      a.href = href.toString();
      a.target = '_blank';
      a.rel = 'noopener noreferrer nofollow';
      parent.append(a);
    } else parent.append(document.createTextNode(match[0]));
    last = start + match[0].length;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}

/**
 * The API's `MESSAGE_TEXT_MAX` (packages/contracts chat.ts). Not imported: the contracts entry would bundle
 * zod into the widget (68 KB → 545 KB). widget.e2e checks the API refuses one character more.
 */
const MESSAGE_TEXT_MAX = 2000;

class PeakDeskWidget {
  private readonly t: WidgetStrings;
  private readonly root: ShadowRoot;
  private readonly panel = el('div', 'panel hidden');
  private readonly button: HTMLButtonElement;
  private readonly list = el('div', 'list');
  private readonly banner = el('div', 'banner hidden');
  private readonly typingLine = el('div', 'typing');
  private readonly input = el('textarea');
  /** Characters typed against the limit; says why a message over it is not sent (it is never cut). */
  private readonly counter = el('div', 'counter');
  private readonly olderButton: HTMLButtonElement;
  /** Leave-a-message, offered while waiting once the group's max wait has passed. */
  private readonly offer = el('div', 'offer hidden');
  private readonly leaveText = el('textarea');
  private readonly leaveContact = el('input');
  private readonly leaveErrors = {
    message: el('div', 'err'),
    contact: el('div', 'err'),
    form: el('div', 'err'),
  };
  private readonly leaveButtons: HTMLButtonElement[] = [];
  private readonly offerTitle = el('p');
  private readonly keepButton: HTMLButtonElement;
  private leftMessage = false;
  /** A push computed before 继续等待 was stored may still arrive: it must not bring the offer back. */
  private keptWaiting: string | null = null;
  private session: TWidgetSession | null = null;
  private client: ChatClient | null = null;
  /** The session request and socket set-up; a send written before it finished waits for it. */
  private opening: Promise<void> | null = null;
  /** One conversation open at a time: two quick sends must not open two conversations. */
  private conversationOpening: Promise<string> | null = null;
  private conversation: TConversation | null = null;
  private queue: TQueuePosition | null = null;
  private readonly rows = new Map<
    string,
    { row: HTMLElement; meta: HTMLElement | null; seq: number; mine: boolean }
  >();
  private peerReadSeq = 0;
  private oldestSeq = Number.POSITIVE_INFINITY;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private isTyping = false;

  constructor(private readonly o: Options) {
    this.t = widgetStrings(o.lang);
    const host = el('div');
    host.id = 'peakdesk-widget';
    document.body.appendChild(host);
    this.root = host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = widgetCss;
    this.button = el('button', 'btn', this.t.open);
    this.button.dataset.testid = 'pd-widget-button';
    this.button.addEventListener('click', () => void this.open().catch(() => {}));

    const head = el('div', 'head');
    const title = el('b', undefined, this.t.title);
    const close = el('button', undefined, '×');
    close.title = this.t.close;
    close.addEventListener('click', () => this.toggle(false));
    head.append(title, close);

    this.keepButton = el('button', 'secondary', this.t.keepWaiting);
    this.olderButton = el('button', 'older hidden', this.t.older);
    this.olderButton.dataset.testid = 'pd-widget-older';
    this.olderButton.addEventListener('click', () => void this.loadOlder());
    this.list.dataset.testid = 'pd-widget-messages';
    this.list.appendChild(this.olderButton);
    this.typingLine.dataset.testid = 'pd-widget-typing';

    const compose = el('div', 'compose');
    this.input.placeholder = this.t.placeholder;
    this.input.dataset.testid = 'pd-widget-input';
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.sendText();
      }
    });
    this.input.addEventListener('input', () => this.onInput());
    const file = el('input');
    file.type = 'file';
    file.accept = 'image/png,image/jpeg,image/gif,image/webp';
    file.style.display = 'none';
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      file.value = '';
      if (f) void this.sendImage(f);
    });
    const imgBtn = el('button', 'img', this.t.image);
    imgBtn.addEventListener('click', () => file.click());
    const send = el('button', undefined, this.t.send);
    send.dataset.testid = 'pd-widget-send';
    send.addEventListener('click', () => void this.sendText());
    compose.append(this.input, imgBtn, send, file);
    this.counter.dataset.testid = 'pd-widget-counter';
    this.counter.setAttribute('aria-live', 'polite');

    this.panel.dataset.testid = 'pd-widget-panel';
    this.banner.dataset.testid = 'pd-widget-banner';
    this.buildOffer();
    this.panel.append(head, this.banner, this.offer, this.list, this.typingLine, this.counter, compose);
    this.root.append(style, this.button, this.panel);
  }

  private buildOffer() {
    this.offer.dataset.testid = 'pd-widget-offer';
    this.leaveText.placeholder = this.t.leaveMessagePlaceholder;
    this.leaveText.maxLength = MESSAGE_TEXT_MAX;
    this.leaveText.dataset.testid = 'pd-widget-leave-message';
    this.leaveContact.placeholder = this.t.leaveContactPlaceholder;
    this.leaveContact.maxLength = 64;
    this.leaveContact.autocomplete = 'tel';
    this.leaveContact.dataset.testid = 'pd-widget-leave-contact';
    this.leaveErrors.message.dataset.testid = 'pd-widget-leave-message-error';
    this.leaveErrors.contact.dataset.testid = 'pd-widget-leave-contact-error';
    this.leaveErrors.form.dataset.testid = 'pd-widget-leave-error';
    const keep = this.keepButton;
    keep.dataset.testid = 'pd-widget-keep-waiting';
    keep.addEventListener('click', () => void this.keepWaiting());
    const submit = el('button', undefined, this.t.leaveSubmit);
    submit.dataset.testid = 'pd-widget-leave-submit';
    submit.addEventListener('click', () => void this.submitLeaveMessage());
    this.leaveButtons.push(keep, submit);
    const actions = el('div', 'actions');
    actions.append(keep, submit);
    this.offer.append(
      this.offerTitle,
      this.leaveText,
      this.leaveErrors.message,
      this.leaveContact,
      this.leaveErrors.contact,
      this.leaveErrors.form,
      actions,
    );
  }

  /** Shown while the conversation waits and the offer stands (it comes with the queue position). */
  private renderOffer() {
    const show =
      this.conversation?.status === 'queued' &&
      this.keptWaiting !== this.conversation.id &&
      Boolean(this.queue?.leaveMessageOffered);
    this.offer.classList.toggle('hidden', !show);
    // After hours there is no queue to keep waiting in: the form only.
    const afterHours = Boolean(this.queue?.afterHours);
    this.offerTitle.textContent = afterHours ? this.t.leaveTitleAfterHours : this.t.leaveTitle;
    this.keepButton.classList.toggle('hidden', afterHours);
  }

  private showLeaveErrors(errors: { message?: string; contact?: string; form?: string }) {
    for (const key of ['message', 'contact', 'form'] as const)
      this.leaveErrors[key].textContent = errors[key] ?? '';
    this.leaveText.setAttribute('aria-invalid', String(Boolean(errors.message)));
    this.leaveContact.setAttribute('aria-invalid', String(Boolean(errors.contact)));
  }

  private setLeaveBusy(busy: boolean) {
    for (const b of this.leaveButtons) b.disabled = busy;
  }

  private async submitLeaveMessage() {
    const conversation = this.conversation;
    if (!conversation) return;
    const message = this.leaveText.value.trim();
    const contact = this.leaveContact.value.trim();
    if (!message) {
      this.showLeaveErrors({ message: this.t.leaveMessageRequired });
      return;
    }
    this.showLeaveErrors({});
    this.setLeaveBusy(true);
    try {
      await this.api(
        'POST',
        `/api/widget/conversations/${conversation.id}/leave-message`,
        JSON.stringify({ message, ...(contact ? { contact } : {}) }),
      );
      // Closed by the server now: writing again opens a new conversation (the update may come later).
      if (this.conversation?.id === conversation.id)
        this.conversation = { ...conversation, status: 'closed' };
      this.leftMessage = true;
      this.leaveText.value = '';
      this.leaveContact.value = '';
      this.queue = null;
      this.setBanner(this.statusText());
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      if (field === 'message')
        this.showLeaveErrors({
          message:
            message.length > MESSAGE_TEXT_MAX ? this.t.leaveMessageTooLong : this.t.leaveMessageRequired,
        });
      else if (field === 'contact') this.showLeaveErrors({ contact: this.t.leaveContactInvalid });
      else
        this.showLeaveErrors({ form: `${this.t.leaveFailed}${e instanceof Error ? `：${e.message}` : ''}` });
    } finally {
      this.setLeaveBusy(false);
    }
  }

  /** Declines the offer: the place in the queue is kept, the offer does not come back. */
  private async keepWaiting() {
    const conversation = this.conversation;
    if (!conversation) return;
    this.showLeaveErrors({});
    this.setLeaveBusy(true);
    try {
      const p = await this.api<TQueuePosition | null>(
        'POST',
        `/api/widget/conversations/${conversation.id}/keep-waiting`,
      );
      this.keptWaiting = conversation.id;
      if (p && this.conversation?.id === p.conversationId) this.queue = p;
      this.setBanner(this.statusText());
    } catch (e) {
      this.showLeaveErrors({ form: `${this.t.leaveFailed}${e instanceof Error ? `：${e.message}` : ''}` });
    } finally {
      this.setLeaveBusy(false);
    }
  }

  private toggle(open: boolean) {
    this.panel.classList.toggle('hidden', !open);
    this.button.classList.toggle('hidden', open);
    if (open) this.markRead();
  }

  private async api<T>(
    method: string,
    path: string,
    body?: BodyInit,
    contentType = 'application/json',
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = contentType;
    if (this.session) headers.authorization = `Bearer ${this.session.visitorToken}`;
    const res = await fetch(`${this.o.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const data = (await res.json()) as T & { message?: string; field?: string };
    if (!res.ok) throw new ApiError(data.message ?? `HTTP ${res.status}`, res.status, data.field);
    return data;
  }

  private open(): Promise<void> {
    this.toggle(true);
    if (!this.opening)
      this.opening = this.connect().catch((e: unknown) => {
        // Let the next click or send try again instead of leaving the widget stuck on "connecting".
        this.opening = null;
        this.session = null;
        this.client?.close();
        this.client = null;
        this.setBanner(this.t.connectFailed);
        throw e;
      });
    return this.opening;
  }

  private async connect() {
    this.setBanner(this.t.connecting);
    const key = `peakdesk:vt:${this.o.storeId}`;
    const saved = localStorage.getItem(key) ?? undefined;
    this.session = await this.api<TWidgetSession>(
      'POST',
      '/api/widget/session',
      JSON.stringify({ storeId: this.o.storeId, visitorToken: saved, buyer: this.o.buyer }),
    );
    localStorage.setItem(key, this.session.visitorToken);
    if (this.session.store.greeting) this.addSystemLine(this.session.store.greeting);
    const client = new ChatClient({
      url: this.o.base,
      auth: { visitorToken: this.session.visitorToken },
      // Heals a lost push without a reconnect; one small request per customer, so not too often.
      resyncIntervalMs: 30_000,
    });
    this.client = client;
    client.on('message', (m) => this.render(m));
    client.on('conversation', (c) => this.onConversation(c));
    // Place in the queue and expected wait, pushed whenever the queue moves.
    client.socket.on('queue:position', (p) => {
      if (p.conversationId !== this.conversation?.id) return;
      this.queue = p;
      this.setBanner(this.statusText());
    });
    client.on('typing', (e) => {
      if (e.senderType !== 'customer') this.typingLine.textContent = e.isTyping ? this.t.typing : '';
    });
    client.on('read', (e) => {
      if (e.readerType === 'agent') this.updateRead(e.seq);
    });
    client.on('connection', (s) =>
      this.setBanner(s === 'connected' ? this.statusText() : this.t.reconnecting),
    );
    if (this.session.conversation) await this.attach(this.session.conversation);
    else this.setBanner('');
  }

  /** Shows the latest page through REST, then lets the client deliver everything after it. */
  private async attach(c: TConversation) {
    this.onConversation(c);
    const page = await this.api<{ messages: TMessage[]; hasMore: boolean }>(
      'GET',
      `/api/conversations/${c.id}/messages?limit=50`,
    );
    for (const m of page.messages) this.render(m);
    this.olderButton.classList.toggle('hidden', !page.hasMore);
    const last = page.messages.at(-1)?.seq ?? 0;
    await this.client?.watch(c.id, last);
  }

  private async loadOlder() {
    if (!this.conversation || !Number.isFinite(this.oldestSeq)) return;
    const page = await this.api<{ messages: TMessage[]; hasMore: boolean }>(
      'GET',
      `/api/conversations/${this.conversation.id}/messages?limit=50&beforeSeq=${this.oldestSeq}`,
    );
    for (const m of page.messages.reverse()) this.render(m, true);
    this.olderButton.classList.toggle('hidden', !page.hasMore);
  }

  private onConversation(c: TConversation) {
    // Another conversation replaces the current one only once it is closed (writing again opens a new one).
    if (this.conversation && c.id !== this.conversation.id) {
      if (this.conversation.status !== 'closed') return;
      this.conversation = null;
      this.queue = null;
      this.leftMessage = false;
    }
    const wasQueued = this.conversation?.status === 'queued';
    this.conversation = c;
    if (c.status !== 'queued') this.queue = null;
    else if (!wasQueued) void this.loadQueue(c.id);
    this.setBanner(this.statusText());
  }

  /** The first position comes by REST: a push may have gone out before this page subscribed. */
  private async loadQueue(conversationId: string) {
    const p = await this.api<TQueuePosition | null>(
      'GET',
      `/api/widget/conversations/${conversationId}/queue`,
    ).catch(() => null);
    if (
      p &&
      this.conversation?.id === conversationId &&
      this.conversation.status === 'queued' &&
      !this.queue
    ) {
      this.queue = p;
      this.setBanner(this.statusText());
    }
  }

  private queueText(q: TQueuePosition): string {
    const fill = (s: string, v: Record<string, string | number>) =>
      s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));
    if (q.etaSeconds === null) return fill(this.t.queueNoEta, { position: q.position });
    const eta =
      q.etaSeconds < 60
        ? this.t.seconds
        : fill(this.t.minutes, { n: Math.max(1, Math.round(q.etaSeconds / 60)) });
    return fill(this.t.queuePosition, { position: q.position, eta });
  }

  private statusText(): string {
    if (!this.conversation) return '';
    if (this.conversation.status === 'queued' && this.queue?.afterHours)
      return this.queue.afterHours.serviceHours
        ? this.t.afterHoursWithHours.replace('{hours}', this.queue.afterHours.serviceHours)
        : this.t.afterHours;
    if (this.conversation.status === 'queued') return this.queue ? this.queueText(this.queue) : this.t.queued;
    if (this.conversation.status === 'closed' && this.leftMessage) return this.t.leftMessage;
    if (this.conversation.status === 'resolved' || this.conversation.status === 'closed')
      return this.t.resolved;
    return '';
  }

  private setBanner(text: string) {
    this.banner.textContent = text;
    this.banner.dataset.queuePosition = this.queue ? String(this.queue.position) : '';
    this.banner.classList.toggle('hidden', text === '');
    this.renderOffer();
  }

  /** Waits for the connection (a customer may write before it is up), then for the conversation. */
  private async ensureConversation(firstMessage?: string): Promise<{ client: ChatClient; id: string }> {
    await this.open();
    const client = this.client;
    if (!client) throw new Error(this.t.connectFailed);
    if (this.conversation && this.conversation.status !== 'closed')
      return { client, id: this.conversation.id };
    if (!this.conversationOpening)
      this.conversationOpening = client
        .openConversation('store_page', firstMessage)
        .then((c) => {
          this.onConversation(c);
          return c.id;
        })
        .finally(() => {
          this.conversationOpening = null;
        });
    return { client, id: await this.conversationOpening };
  }

  private async sendText() {
    const body = this.input.value;
    if (!body.trim()) return;
    if (body.length > MESSAGE_TEXT_MAX) {
      this.updateCounter(true);
      return;
    }
    this.input.value = '';
    this.updateCounter();
    this.stopTyping();
    // Shown at once as "sending"; it goes out as soon as the connection and conversation are ready.
    const clientId = newClientId('w');
    this.renderPending(clientId, body);
    try {
      const { client, id } = await this.ensureConversation(body);
      await client.send({ conversationId: id, type: 'text', body, clientId });
    } catch (e) {
      this.markFailed(clientId, e instanceof Error ? e.message : String(e));
    }
  }

  private async sendImage(file: File) {
    const clientId = newClientId('w');
    this.renderPending(clientId, `[${this.t.image}] ${file.name}`);
    try {
      const { client, id: conversationId } = await this.ensureConversation();
      const att = await this.api<{ id: string }>(
        'POST',
        `/api/conversations/${conversationId}/attachments`,
        file,
        file.type || 'application/octet-stream',
      );
      await client.send({ conversationId, type: 'image', attachmentId: att.id, clientId });
    } catch (e) {
      this.markFailed(clientId, e instanceof Error ? e.message : String(e));
    }
  }

  /** Shown from 90% of the limit; over it (or on a refused send) it says the message is too long. */
  private updateCounter(isRefused = false) {
    const length = this.input.value.length;
    const isOver = length > MESSAGE_TEXT_MAX;
    const fill = (s: string) =>
      s.replace(/\{n\}/g, String(length)).replace(/\{max\}/g, String(MESSAGE_TEXT_MAX));
    this.counter.textContent =
      isOver || isRefused
        ? fill(this.t.tooLong)
        : length >= MESSAGE_TEXT_MAX * 0.9
          ? fill(this.t.counter)
          : '';
    this.counter.classList.toggle('over', isOver);
    this.input.setAttribute('aria-invalid', String(isOver));
  }

  private onInput() {
    this.updateCounter();
    if (!this.conversation || !this.client) return;
    if (!this.isTyping) {
      this.isTyping = true;
      this.client.typing(this.conversation.id, true);
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 2_000);
  }

  private stopTyping() {
    clearTimeout(this.typingTimer);
    if (this.isTyping && this.conversation) this.client?.typing(this.conversation.id, false);
    this.isTyping = false;
  }

  private renderPending(clientId: string, text: string) {
    const row = el('div', 'row me');
    row.dataset.testid = 'pd-widget-message';
    row.dataset.senderType = 'customer';
    row.dataset.pending = 'true';
    const wrap = el('div');
    wrap.append(el('div', 'bubble', text));
    const meta = el('div', 'meta', this.t.sending);
    wrap.append(meta);
    row.append(wrap);
    this.list.append(row);
    this.rows.set(clientId, { row, meta, seq: Number.POSITIVE_INFINITY, mine: true });
    this.scroll();
  }

  private markFailed(clientId: string, reason: string) {
    const r = this.rows.get(clientId);
    if (r?.meta) r.meta.textContent = `${this.t.failed}: ${reason}`;
  }

  private addSystemLine(text: string) {
    const row = el('div', 'row sys');
    row.append(el('div', 'bubble', text));
    this.list.insertBefore(row, this.olderButton.nextSibling);
  }

  private render(m: TMessage, prepend = false) {
    if (this.conversation && m.conversationId !== this.conversation.id) return;
    const mine = m.senderType === 'customer';
    const existing = this.rows.get(m.clientId);
    if (existing && existing.seq === m.seq) return;
    const row = el('div', `row ${mine ? 'me' : m.senderType === 'system' ? 'sys' : 'them'}`);
    row.dataset.testid = 'pd-widget-message';
    row.dataset.senderType = m.senderType;
    row.dataset.seq = String(m.seq);
    const wrap = el('div');
    if (!mine && m.senderType !== 'system' && m.senderName) wrap.append(el('div', 'name', m.senderName));
    const bubble = el('div', 'bubble');
    if (m.type === 'image' && m.attachmentId) {
      const img = el('img');
      img.alt = m.body || this.t.image;
      bubble.append(img);
      void this.loadImage(m.attachmentId, img);
    } else appendLinkified(bubble, m.body);
    wrap.append(bubble);
    const meta = mine ? el('div', 'meta', m.seq <= this.peerReadSeq ? this.t.read : this.t.unread) : null;
    if (meta) wrap.append(meta);
    row.append(wrap);
    if (existing) existing.row.replaceWith(row);
    else if (prepend) this.list.insertBefore(row, this.olderButton.nextSibling);
    else this.list.append(row);
    this.rows.set(m.clientId, { row, meta, seq: m.seq, mine });
    this.oldestSeq = Math.min(this.oldestSeq, m.seq);
    if (!prepend) this.scroll();
    // A reply from the bot or an agent answers what came before it: those messages are no longer 未读.
    if (m.senderType === 'bot' || m.senderType === 'agent') this.updateRead(m.seq);
    if (!mine) this.markRead();
  }

  private async loadImage(id: string, img: HTMLImageElement) {
    const res = await fetch(`${this.o.base}/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${this.session?.visitorToken ?? ''}` },
    });
    if (res.ok) img.src = URL.createObjectURL(await res.blob());
  }

  private updateRead(seq: number) {
    this.peerReadSeq = Math.max(this.peerReadSeq, seq);
    for (const r of this.rows.values())
      if (r.mine && r.meta && r.seq <= this.peerReadSeq) r.meta.textContent = this.t.read;
  }

  private markRead() {
    if (!this.conversation || !this.client || this.panel.classList.contains('hidden')) return;
    const last = this.client.lastSeqOf(this.conversation.id);
    if (last) this.client.markRead(this.conversation.id, last);
  }

  private scroll() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}

function boot() {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-store]');
  const storeId = script?.dataset.store;
  if (!script || !storeId) {
    console.error('[PeakDesk] widget.js needs data-store="STORE_ID" on its <script> tag');
    return;
  }
  const d = script.dataset;
  const buyer =
    d.buyerId && d.buyerSignature
      ? { buyerId: d.buyerId, name: d.buyerName, signature: d.buyerSignature }
      : undefined;
  const start = () => new PeakDeskWidget({ base: new URL(script.src).origin, storeId, lang: d.lang, buyer });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
}

boot();
