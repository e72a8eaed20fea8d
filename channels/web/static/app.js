// Banban citizen web chat: streaming answers, live staff replies, handoff,
// left messages and ratings. All server and user text goes through
// textContent (h() appends strings as text nodes), never innerHTML.

const MAX_CHARS = 500;
const STORE_KEY = 'banban.conversation';
const QUESTIONS = ['开饭店要办什么证？', '生了孩子要办哪些手续？', '社保卡丢了怎么补办？',
  '公积金怎么提取？', '护照怎么办理？', '退休要办哪些事？'];
const STAR_LABELS = ['非常不满意', '不满意', '一般', '满意', '非常满意'];
const NETWORK_ERROR = '网络连接失败，请检查网络后重试。';

const $ = (id) => document.getElementById(id);
const ui = {
  list: $('messages'), input: $('input'), counter: $('counter'), composer: $('composer'),
  send: $('send'), handoff: $('handoff'), error: $('error'), queue: $('queue-banner'),
  queueText: $('queue-text'), status: $('status-banner'), leave: $('leave-panel'),
  leaveForm: $('leave-form'), leaveHint: $('leave-hint'), rating: $('rating-panel'),
  ratingForm: $('rating-form'), thanks: $('rating-thanks'), stars: $('stars'),
  starLabel: $('star-label'), ratingSubmit: $('rating-submit'), draft: $('draft-banner'),
  draftText: $('draft-text'), draftPrint: $('draft-print'),
};

// pending holds local {role, el} messages shown before the server numbers
// them; lastSeq is where the live stream resumes.
const fresh = () => ({ id: '', lastSeq: 0, seen: new Set(), pending: [], state: '', position: 0,
  ticket: '', rated: false, score: 0, events: null, retries: 0, draft: null });
const chat = { ...fresh(), id: localStorage.getItem(STORE_KEY) || '', busy: false };

// h builds an element; string children become text nodes.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

const parseJSON = (text) => { try { return JSON.parse(text); } catch { return null; } };
const messageOf = (body, fallback) => body?.error?.message || body?.message || fallback;

// ---- API ----

async function failure(res) {
  const body = await res.json().catch(() => null);
  return Object.assign(new Error(messageOf(body, `请求失败（${res.status}）`)), { status: res.status });
}

async function post(path, body, accept = 'application/json') {
  const opts = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Accept: accept } };
  const res = await fetch(path, opts).catch(() => { throw new Error(NETWORK_ERROR); });
  if (!res.ok) throw await failure(res);
  return res;
}

const api = async (path, body) => (await post(path, body)).json();
const convPath = (suffix = '') => `/api/conversations/${encodeURIComponent(chat.id)}${suffix}`;

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { ui.error.hidden = true; }, 8000);
}

// sseBlock parses one server-sent event into {name, data}.
function sseBlock(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (line.startsWith('event:')) name = value;
    else if (line.startsWith('data:')) data.push(value);
  }
  return data.length ? { name, data: parseJSON(data.join('\n')) || {} } : null;
}

// readSSE reads a text/event-stream response body, calling onEvent(name, data).
async function readSSE(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (let buf = '', end; ;) {
    const { value, done } = await reader.read();
    buf += decoder.decode(value, { stream: !done }).replaceAll('\r', '');
    if (done) buf += '\n\n';
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const ev = sseBlock(buf.slice(0, end));
      buf = buf.slice(end + 2);
      if (ev) onEvent(ev.name, ev.data);
    }
    if (done) return;
  }
}

// ---- messages ----

const sourcesOf = (m) => m.sources || [];
const optionsOf = (m) => m.options || [];

// displayText drops the answer's plain-text 依据 footer when the sources
// are shown as links below it.
function displayText(m) {
  const text = m.text || '';
  const cut = text.lastIndexOf('\n\n依据：');
  return m.role === 'bot' && sourcesOf(m).length && cut > 0 ? text.slice(0, cut) : text;
}

// linkOf is a source's link: its url when that is http(s) or on this site,
// else the server-rendered document page.
function linkOf(s) {
  const fallback = `/docs/${encodeURIComponent(s.doc || '')}`;
  try {
    const u = new URL(s.url || fallback, location.href);
    return ['http:', 'https:'].includes(u.protocol) ? u.href : fallback;
  } catch {
    return fallback;
  }
}

function citationsEl(sources) {
  return h('div', { class: 'citations', 'data-testid': 'citations' }, ...sources.map((s) => h('a', {
    href: linkOf(s), target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'citation',
  }, `依据：《${s.title || s.doc}》${s.section || ''}`,
  h('span', { class: 'citation-meta' }, s.updated ? `（${s.updated}更新）` : ''))));
}

function chips(texts, testid, label) {
  return h('div', { class: 'options', 'data-testid': testid === 'option' ? 'options' : null,
    role: 'group', 'aria-label': label }, ...texts.map((t) => h('button', {
    type: 'button', class: 'chip', 'data-testid': testid, onclick: () => sendText(t) }, t)));
}

// fill renders a message into its element, replacing what was there.
function fill(el, m) {
  el.replaceChildren();
  el.dataset.role = m.role;
  if (m.seq) el.dataset.seq = m.seq;
  if (m.role === 'staff') el.append(h('div', { class: 'msg-author' }, `工作人员 ${m.author || ''}`.trim()));
  if (m.role === 'system') {
    el.append(h('div', { class: 'notice' }, m.text || ''));
    return el;
  }
  const bubble = h('div', { class: 'bubble' }, h('div', { class: 'msg-text' }, displayText(m)));
  if (sourcesOf(m).length) bubble.append(citationsEl(sourcesOf(m)));
  if (optionsOf(m).length) bubble.append(chips(optionsOf(m), 'option', '请选择'));
  el.append(bubble);
  return el;
}

function appendEl(el) {
  ui.list.append(el);
  ui.list.scrollTop = ui.list.scrollHeight;
}

// local adds a message shown before the server has numbered it.
function local(role, text) {
  const item = { role, el: fill(h('div', { class: 'msg', 'data-seq': '' }), { role, text }) };
  chat.pending.push(item);
  appendEl(item.el);
  return item;
}

function dropPending(item) {
  chat.pending = chat.pending.filter((p) => p !== item);
  item.el.remove();
}

// addMessage shows a numbered message once; a citizen or bot message takes
// over the oldest local one of its role. Only messages that arrive in order
// (transcript, live events) move lastSeq.
function addMessage(m, inOrder = true) {
  if (!m || !m.role || m.private || chat.seen.has(m.seq)) return;
  if (m.seq) chat.seen.add(m.seq);
  if (m.seq && inOrder) chat.lastSeq = Math.max(chat.lastSeq, m.seq);
  const i = m.seq ? chat.pending.findIndex((p) => p.role === m.role) : -1;
  if (i < 0) return appendEl(fill(h('div', { class: 'msg' }), m));
  const [item] = chat.pending.splice(i, 1);
  item.numbered = true;
  item.el.classList.remove('typing');
  fill(item.el, m);
}

function welcome() {
  const text = '您好！我是示例市政务服务帮办助手，可以为您解答办事指南、所需材料、办理流程等问题。'
    + '\n您可以直接输入问题，或点击下面的常见问题：';
  appendEl(h('div', { class: 'msg welcome', 'data-testid': 'welcome' }, h('div', { class: 'bubble' },
    h('div', { class: 'msg-text' }, text), chips(QUESTIONS, 'chip', '常见问题'))));
}

// ---- sending ----

function adopt(id) {
  if (!id || id === chat.id) return;
  chat.id = id;
  localStorage.setItem(STORE_KEY, id);
  connectEvents();
}

// botAnswers reports whether the bot, not a human, takes the next message
// (a left message waits for staff while the bot keeps answering).
const botAnswers = () => chat.state !== 'with_staff' && !(chat.state === 'waiting' && chat.position > 0);

async function sendText(raw) {
  const text = raw.trim();
  if (!text || chat.busy) return;
  if ([...text].length > MAX_CHARS) return showError(`消息过长，请控制在${MAX_CHARS}字以内。`);
  chat.busy = ui.send.disabled = true;
  const mine = local('citizen', text);
  let reply = null;
  const ensureReply = () => (reply ||= local('bot', ''));
  if (botAnswers()) ensureReply().el.classList.add('typing');
  try {
    const res = await post('/api/chat/stream', { conversation_id: chat.id || undefined, text }, 'text/event-stream');
    const done = await stream(res, ensureReply);
    finish(done, reply);
  } catch (err) {
    if (reply && !reply.numbered) dropPending(reply);
    if (!mine.numbered) dropPending(mine);
    if (!mine.numbered && !ui.input.value) setInput(text);
    showError(err.message);
  } finally {
    chat.busy = ui.send.disabled = false;
  }
}

// stream shows deltas as they come and returns the done event's data.
async function stream(res, ensureReply) {
  let shown = '';
  let done = null;
  await readSSE(res.body, (name, data) => {
    if (name === 'done') done = data;
    if (name === 'error') throw new Error(messageOf(data, '回答生成失败，请重试。'));
    if (name !== 'delta' || ensureReply().numbered) return; // numbered: the final text is in
    shown = (data.reset ? '' : shown) + (data.text || '');
    showText(ensureReply().el, shown);
  });
  if (!done) throw new Error('连接中断，请重试。');
  return done;
}

function showText(el, text) {
  el.querySelector('.msg-text').textContent = text;
  ui.list.scrollTop = ui.list.scrollHeight;
}

function finish(done, reply) {
  adopt(done.conversation_id);
  if (done.answer || done.action) {
    const item = reply || local('bot', '');
    item.el.classList.remove('typing');
    if (!item.numbered) fill(item.el, { role: 'bot', text: done.answer || '', sources: done.sources, options: done.options });
  } else if (reply && !reply.numbered) {
    dropPending(reply);
  }
  (done.notices || []).forEach((m) => addMessage(m, false));
  setState(done);
  setDraft(done.draft);
  if (done.offer_message) showLeave(done.offer_message);
}

// ---- state, banners, live events ----

function setState(s) {
  if (!s || !s.state) return;
  const prev = chat.state;
  chat.state = s.state;
  if (typeof s.position === 'number') chat.position = s.position;
  if (s.ticket) chat.ticket = s.ticket;
  renderBanners();
  const ended = (s.state === 'resolved' && prev !== 'resolved') || (prev === 'with_staff' && s.state === 'bot');
  if (ended && !chat.rated) showRating();
}

function renderBanners() {
  const queued = chat.state === 'waiting' && chat.position > 0;
  const ticket = chat.ticket ? `（工单号 ${chat.ticket}）` : '';
  ui.queue.hidden = !queued;
  ui.queueText.textContent = queued ? `正在为您转接人工帮办，前面还有 ${chat.position - 1} 位${ticket}` : '';
  let status = '';
  if (chat.state === 'with_staff') status = `人工服务中${ticket}`;
  if (chat.state === 'waiting' && !queued) status = `您的留言已提交${ticket}，工作人员会尽快处理并在这里回复您。`;
  ui.status.textContent = status;
  ui.status.hidden = !status;
  ui.handoff.disabled = queued || chat.state === 'with_staff';
}

// ---- the application form (一表申请) ----

// setDraft keeps the conversation's draft reference ({state, title,
// print_url}, no values); undefined leaves it as it was.
function setDraft(d) {
  if (d === undefined) return;
  chat.draft = d;
  renderDraft();
}

// printLink accepts only a print page on this site.
function printLink(path) {
  try {
    const u = new URL(path || '', location.href);
    return u.origin === location.origin && u.pathname.startsWith('/conversations/') ? u.href : '';
  } catch {
    return '';
  }
}

// renderDraft offers the printable draft once the citizen confirmed it.
function renderDraft() {
  const d = chat.draft;
  const href = d && d.state === 'confirmed' ? printLink(d.print_url) : '';
  ui.draft.hidden = !href;
  ui.draftText.textContent = href ? `《${d.title || '申请表'}》申请表已生成，可查看或打印后带到窗口。` : '';
  if (href) ui.draftPrint.href = href;
  else ui.draftPrint.removeAttribute('href');
}

function connectEvents() {
  chat.events?.close();
  if (!chat.id) return;
  const es = new EventSource(convPath(`/events?after=${chat.lastSeq}`));
  chat.events = es;
  es.addEventListener('open', () => { chat.retries = 0; });
  es.addEventListener('message', (e) => addMessage(parseJSON(e.data)));
  es.addEventListener('state', (e) => setState(parseJSON(e.data)));
  es.addEventListener('error', () => {
    if (es.readyState !== EventSource.CLOSED) return; // the browser retries by itself
    const delay = Math.min(30000, 2000 * 2 ** chat.retries++);
    setTimeout(() => { if (chat.events === es) connectEvents(); }, delay);
  });
}

async function restore() {
  if (!chat.id) return;
  try {
    const c = await api(convPath());
    (c.messages || []).forEach((m) => addMessage(m));
    chat.rated = Boolean(c.rating);
    setState(c);
    setDraft(c.draft);
  } catch (err) {
    if (err.status === 404 || err.status === 400) return forget();
  }
  connectEvents();
}

function forget() {
  chat.events?.close();
  localStorage.removeItem(STORE_KEY);
  Object.assign(chat, fresh());
}

// ---- handoff and left messages ----

async function requestHuman() {
  if (!chat.id) return sendText('转人工');
  try {
    const r = await api(convPath('/handoff'), {});
    (r.notices || []).forEach((m) => addMessage(m, false));
    setState(r);
    if (r.offer_message) showLeave(r.offer_message);
  } catch (err) {
    showError(err.message);
  }
}

async function cancelHandoff() {
  await api(convPath('/cancel'), {}).then(setState, (err) => showError(err.message));
}

function showLeave(offer) {
  if (typeof offer === 'string') ui.leaveHint.textContent = offer;
  ui.leave.hidden = false;
  ui.list.scrollTop = ui.list.scrollHeight;
  $('leave-text').focus();
}

async function submitLeave(e) {
  e.preventDefault();
  const text = $('leave-text').value.trim();
  const contact = $('leave-contact').value.trim() || undefined;
  if (!text) return showError('请填写留言内容。');
  try {
    const r = await api(convPath('/leave-message'), { text, contact });
    ui.leaveForm.reset();
    ui.leave.hidden = true;
    setState({ state: r.state, position: 0, ticket: r.ticket });
  } catch (err) {
    showError(err.message);
  }
}

// ---- rating ----

function pickScore(score) {
  chat.score = score;
  ui.stars.querySelectorAll('.star').forEach((b, i) => {
    b.classList.toggle('on', i < score);
    b.setAttribute('aria-pressed', String(i + 1 === score));
  });
  ui.starLabel.textContent = STAR_LABELS[score - 1] || '';
  ui.ratingSubmit.disabled = !score;
}

// showRating opens the rating form; focus moves there only when the
// citizen asked for it (a click), not when staff ended the service.
function showRating(e) {
  if (!chat.id) return showError('您还没有开始咨询，暂时无法评价。');
  ui.ratingForm.hidden = false;
  ui.thanks.hidden = true;
  ui.rating.hidden = false;
  ui.list.scrollTop = ui.list.scrollHeight;
  if (e) ui.stars.querySelector('.star').focus();
}

async function submitRating(e) {
  e.preventDefault();
  if (!chat.score) return showError('请先选择评分。');
  const comment = $('rating-comment').value.trim() || undefined;
  try {
    await api(convPath('/rating'), { score: chat.score, comment });
    chat.rated = true;
    ui.ratingForm.hidden = true;
    ui.thanks.hidden = false;
  } catch (err) {
    showError(err.message);
  }
}

function startOver() {
  forget();
  ui.list.replaceChildren();
  ui.rating.hidden = ui.leave.hidden = true;
  ui.ratingForm.reset();
  pickScore(0);
  renderBanners();
  renderDraft();
  welcome();
  ui.input.focus();
}

// ---- composer ----

function setInput(text) {
  ui.input.value = text;
  updateCounter();
}

function updateCounter() {
  const n = [...ui.input.value].length;
  ui.counter.textContent = `${n}/${MAX_CHARS}`;
  ui.counter.classList.toggle('full', n >= MAX_CHARS);
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight + 2, 140)}px`;
}

function submitComposer(e) {
  e?.preventDefault();
  if (!ui.input.value.trim() || chat.busy) return;
  const text = ui.input.value;
  setInput('');
  sendText(text);
}

function onKey(e) {
  // Enter sends; Shift+Enter is a new line; an Enter that confirms an IME
  // (pinyin) composition must not send.
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
  e.preventDefault();
  submitComposer();
}

function init() {
  if (new URLSearchParams(location.search).get('embed') === '1') document.body.classList.add('embed');
  const hide = (el) => () => { el.hidden = true; };
  const on = [
    [ui.composer, 'submit', submitComposer], [ui.input, 'keydown', onKey],
    [ui.input, 'input', updateCounter], [ui.handoff, 'click', requestHuman],
    [$('cancel-handoff'), 'click', cancelHandoff], [$('rate-link'), 'click', showRating],
    [ui.leaveForm, 'submit', submitLeave], [$('leave-cancel'), 'click', hide(ui.leave)],
    [ui.ratingForm, 'submit', submitRating], [$('rating-close'), 'click', hide(ui.rating)],
    [$('thanks-close'), 'click', hide(ui.rating)], [$('new-conversation'), 'click', startOver],
  ];
  for (const [el, type, fn] of on) el.addEventListener(type, fn);
  ui.stars.querySelectorAll('.star').forEach((b) => b.addEventListener('click', () => pickScore(Number(b.dataset.score))));
  welcome();
  restore();
}

init();
