// Banban staff console (帮办工作台): sign-in, the live queue and one open
// conversation with reply, note, claim, transfer, resolve and handback.
// All server text goes through textContent (h() appends text nodes).

const $ = (id) => document.getElementById(id);
const ui = {
  login: $('login'), loginForm: $('login-form'), loginError: $('login-error'), console: $('console'),
  error: $('error'), live: $('live'), me: $('me'), waiting: $('queue-waiting'), mine: $('queue-mine'),
  placeholder: $('placeholder'), conv: $('conv'), ticket: $('conv-ticket'), state: $('conv-state'),
  meta: $('conv-meta'), handoff: $('handoff-box'), transcript: $('transcript'), replyForm: $('reply-form'),
  reply: $('reply'), canned: $('canned'), claim: $('claim'), send: $('send'), note: $('note'),
  transfer: $('transfer'), resolve: $('resolve'), handback: $('handback'),
  transferPanel: $('transfer-panel'), transferTarget: $('transfer-target'), draft: $('draft-box'),
  draftTitle: $('draft-title'), draftState: $('draft-state'), draftFields: $('draft-fields'),
  draftPrint: $('draft-print-staff'), draftJSON: $('draft-json'), draftNote: $('draft-note'),
};
const CHANNELS = { web: '网页', 'wechat-oa': '微信公众号', 'wechat-mp': '微信小程序', 'wecom-kf': '微信客服', cli: '命令行' };
const TICKET = { open: '待接入', accepted: '已受理', closed: '已办结' };
const ROLES = { citizen: '群众', bot: '智能助手', staff: '工作人员', system: '系统' };
const DRAFT_STATES = { collecting: '填写中', confirming: '待群众确认', confirmed: '群众已确认', cancelled: '已取消' };

// The csrf token lives only in memory; GET /api/staff/me reads it again
// after a reload.
const desk = { csrf: '', me: null, teams: [], canned: [], staff: null, openId: '', conv: null,
  events: null, refresh: null };

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  el.append(...children.filter((c) => c !== null && c !== undefined && c !== ''));
  return el;
}

const parseJSON = (text) => { try { return JSON.parse(text); } catch { return null; } };

// ---- API ----

async function api(path, body) {
  const opts = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': desk.csrf } };
  const res = await fetch(path, opts).catch(() => { throw new Error('网络连接失败，请检查网络后重试。'); });
  const data = await res.json().catch(() => null);
  if (res.ok) return data || {};
  if (res.status === 401 && !path.endsWith('/login')) showLogin();
  const message = data?.error?.message || data?.message || `请求失败（${res.status}）`;
  throw Object.assign(new Error(message), { status: res.status });
}

const convPath = (id, action = '') => `/api/staff/conversations/${encodeURIComponent(id)}${action && `/${action}`}`;

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { ui.error.hidden = true; }, 8000);
}

// guard runs an action (synchronously, so preventDefault still works) and
// shows its error.
const guard = (fn) => (...args) => {
  try {
    return Promise.resolve(fn(...args)).catch((err) => showError(err.message));
  } catch (err) {
    return showError(err.message);
  }
};

// ---- sign-in ----

function showLogin() {
  desk.events?.close();
  closeConversation(false);
  ui.waiting.replaceChildren();
  ui.mine.replaceChildren();
  Object.assign(desk, { csrf: '', me: null, events: null, staff: null });
  ui.console.hidden = true;
  ui.login.hidden = false;
  $('username').focus();
}

async function loadMe() {
  const me = await api('/api/staff/me');
  Object.assign(desk, { csrf: me.csrf, me: me.staff, teams: me.teams || [], canned: me.canned || [] });
}

async function login(e) {
  e.preventDefault();
  ui.loginError.hidden = true;
  const body = { username: $('username').value.trim(), password: $('password').value };
  try {
    const r = await api('/api/staff/login', body);
    desk.csrf = r.csrf;
    await loadMe();
    $('password').value = '';
    showConsole();
  } catch (err) {
    ui.loginError.textContent = err.message;
    ui.loginError.hidden = false;
  }
}

async function logout() {
  await api('/api/staff/logout', {}).catch(() => {});
  showLogin();
}

function showConsole() {
  ui.login.hidden = true;
  ui.console.hidden = false;
  ui.me.textContent = `${desk.me?.name || desk.me?.username || ''}（${desk.me?.username || ''}）`;
  ui.canned.replaceChildren(h('option', { value: '' }, '选择快捷回复…'),
    ...desk.canned.map((t, i) => h('option', { value: String(i) }, t.length > 40 ? `${t.slice(0, 40)}…` : t)));
  loadQueue();
  connectEvents();
}

// ---- queue ----

function waited(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, '0');
  if (s >= 86400) return `${Math.floor(s / 86400)}天${Math.floor(s / 3600) % 24}小时`;
  return `${s >= 3600 ? `${Math.floor(s / 3600)}:` : ''}${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

function tick() {
  for (const el of document.querySelectorAll('.qi-wait[data-since]')) {
    const seconds = (Date.now() - Number(el.dataset.since)) / 1000;
    el.textContent = `等待 ${waited(seconds)}`;
    el.classList.toggle('long', seconds >= 300);
  }
}

function queueItem(e) {
  const since = Date.now() - (e.waiting_seconds || 0) * 1000;
  const left = e.reason === 'message';
  return h('li', {}, h('button', {
    type: 'button', class: 'queue-item', 'data-testid': 'queue-item', 'data-conversation': e.conversation_id,
    'data-state': e.state, onclick: () => openConversation(e.conversation_id),
  }, h('span', { class: 'qi-top' },
    h('span', { class: 'qi-ticket' }, e.ticket || '无工单号'),
    left ? h('span', { class: 'tag message', 'data-testid': 'message-tag' }, '留言') : null,
    e.state === 'waiting' ? h('span', { class: 'qi-wait', 'data-since': since }) : null),
  h('span', { class: 'qi-line' }, left ? null : h('span', { class: 'tag reason' }, e.reason_label || e.reason || '转人工'),
    ` ${e.team_name || e.team || '未分组'} · ${CHANNELS[e.channel] || e.channel || ''}`),
  h('span', { class: 'qi-summary' }, (e.state === 'waiting' ? e.summary : e.last_message) || e.summary || '')));
}

// syncList updates a queue list in place, keeping the items that did not
// change, so a click is not lost to a refresh.
function syncList(list, entries) {
  const old = new Map([...list.children].map((li) => [li.dataset.key, li]));
  const items = entries.map((e) => {
    const sig = JSON.stringify([e.state, e.ticket, e.reason, e.team, e.summary, e.last_message, e.assignee]);
    const li = old.get(e.conversation_id);
    if (li && li.dataset.sig === sig) return li;
    const fresh = queueItem(e);
    Object.assign(fresh.dataset, { key: e.conversation_id, sig });
    return fresh;
  });
  const same = items.length === list.children.length && items.every((li, i) => list.children[i] === li);
  if (!same) list.replaceChildren(...items);
}

async function loadQueue() {
  const { entries = [] } = await api('/api/staff/queue').catch((err) => (showError(err.message), {}));
  const me = desk.me?.username;
  const waiting = entries.filter((e) => e.state === 'waiting');
  const mine = entries.filter((e) => e.state === 'with_staff' && (!e.assignee || e.assignee === me));
  syncList(ui.waiting, waiting);
  syncList(ui.mine, mine);
  $('count-waiting').textContent = waiting.length;
  $('count-mine').textContent = mine.length;
  markCurrent();
  tick();
}

// ---- the open conversation ----

function fmtTime(at) {
  const d = new Date(at);
  if (!at || Number.isNaN(d.getTime())) return '';
  return d.toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

const teamName = (id) => desk.teams.find((t) => t.id === id)?.name || id || '未分组';

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

function sourceLinks(sources, cls) {
  if (!sources?.length) return null;
  return h('div', { class: cls, 'data-testid': 'sources' }, ...sources.map((s) => h('a', {
    href: linkOf(s), target: '_blank', rel: 'noopener noreferrer',
  }, `《${s.title || s.doc}》${s.section || ''}`)));
}

function renderHeader(c) {
  ui.ticket.textContent = c.handoff?.ticket ? `工单 ${c.handoff.ticket}` : `会话 ${c.conversation_id.slice(0, 8)}`;
  ui.state.textContent = c.state_label || c.state;
  ui.state.dataset.state = c.state;
  const rows = [['渠道', CHANNELS[c.channel] || c.channel], ['工作组', c.team_name || teamName(c.team)],
    ['接入人', c.assignee ? c.assignee_name || c.assignee : '未接入'], ['转人工时间', fmtTime(c.handoff?.requested_at)],
    ['微信窗口', windowNote(c.channel_window)]];
  ui.meta.replaceChildren(...rows.filter(([, v]) => v).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

// windowNote says whether WeChat still lets replies reach the citizen.
function windowNote(w) {
  if (!w) return '';
  const pending = w.pending ? `，待发送 ${w.pending} 条` : '';
  return w.open ? `可回复至 ${fmtTime(w.closes_at)}${pending}`
    : `客服消息窗口已关闭，群众下次发消息时将收到您的回复${pending}`;
}

function renderHandoff(c) {
  const ho = c.handoff || {};
  const status = ho.status && `${TICKET[ho.status] || ho.status}${ho.status_note ? `（${ho.status_note}）` : ''}`;
  const stars = c.rating && `${'★'.repeat(c.rating.score)}${'☆'.repeat(5 - c.rating.score)} ${c.rating.comment || ''}`;
  const rows = [['转人工原因', ho.reason_label || ho.reason], ['会话摘要', ho.summary],
    ['机器人依据', sourceLinks(ho.sources, 'sources')], ['群众留言', ho.message], ['联系电话', ho.contact],
    ['处理时限', ho.due_at && `${fmtTime(ho.due_at)} 前`], ['工单状态', status], ['群众评价', stars]];
  ui.handoff.replaceChildren(...rows.filter(([, v]) => v).map(([k, v]) => h('div', { class: 'ho-row' },
    h('dt', {}, k), h('dd', {}, v))));
}

// sameSite is a link on this site under prefix, else ''.
function sameSite(path, prefix) {
  try {
    const u = new URL(path || '', location.href);
    return u.origin === location.origin && u.pathname.startsWith(prefix) ? u.href : '';
  } catch {
    return '';
  }
}

function draftRow(f) {
  return h('div', { class: 'draft-row', 'data-field': f.name },
    h('dt', {}, f.required ? h('span', { class: 'req', 'aria-label': '必填' }, '*') : null, f.label || f.name),
    h('dd', {}, f.value ? f.value : h('span', { class: 'draft-empty' }, '未填写'),
      f.warning ? h('span', { class: 'draft-warn' }, `提示：${f.warning}`) : null));
}

// renderDraft shows the application form the bot filled with the citizen,
// values in full (staff only), with its printable page and export.
function renderDraft(c, switched) {
  const d = c.draft;
  ui.draft.hidden = !d;
  if (!d) return ui.draftFields.replaceChildren();
  if (switched) ui.draft.open = true;
  ui.draftTitle.textContent = `《${d.title || d.doc}》`;
  ui.draftState.textContent = DRAFT_STATES[d.state] || d.state;
  ui.draftState.dataset.state = d.state;
  ui.draftNote.textContent = d.state === 'confirmed' ? '' : '群众尚未确认，内容仅供参考';
  const links = [[ui.draftPrint, sameSite(d.print_url, '/staff/')], [ui.draftJSON, sameSite(d.json_url, '/api/staff/')]];
  for (const [a, href] of links) {
    if (href) a.href = href;
    else a.removeAttribute('href');
    a.hidden = !href;
  }
  ui.draftJSON.setAttribute('download', `申请表-${d.doc || 'draft'}.json`);
  ui.draftFields.replaceChildren(...(d.fields || []).map(draftRow));
}

function transcriptItem(m) {
  const who = m.role === 'staff' ? `${ROLES.staff} ${m.author || ''}` : ROLES[m.role] || m.role;
  return h('div', { class: `tmsg${m.private ? ' note' : ''}`, 'data-role': m.role, 'data-seq': m.seq,
    'data-private': m.private ? 'true' : null, 'data-testid': m.private ? 'note-message' : null },
  h('div', { class: 'tmsg-head' }, `${who} · ${fmtTime(m.at)}`),
  h('div', { class: 'tmsg-body' }, m.private ? h('span', { class: 'note-tag' }, '内部备注') : null, m.text || '',
    m.role === 'bot' ? sourceLinks(m.sources, 'tmsg-sources') : null));
}

// renderTranscript appends what is new, and redraws only when the
// conversation changed or the messages do not extend what is shown.
function renderTranscript(msgs, switched) {
  const t = ui.transcript;
  const n = t.children.length;
  const grows = !switched && n <= msgs.length && (n === 0 || t.lastElementChild.dataset.seq === String(msgs[n - 1].seq));
  if (grows) t.append(...msgs.slice(n).map(transcriptItem));
  else t.replaceChildren(...msgs.map(transcriptItem));
}

function renderButtons(c) {
  const mine = c.state === 'with_staff' && c.assignee === desk.me?.username;
  const canAct = c.state === 'waiting' || mine;
  ui.claim.disabled = c.state !== 'waiting';
  ui.send.disabled = !mine;
  ui.transfer.disabled = ui.resolve.disabled = ui.handback.disabled = !canAct;
  if (!canAct) closeTransfer();
}

function renderConversation(c) {
  const switched = desk.conv?.conversation_id !== c.conversation_id;
  const t = ui.transcript;
  const atEnd = switched || t.scrollHeight - t.scrollTop - t.clientHeight < 60;
  desk.conv = c;
  ui.placeholder.hidden = true;
  ui.conv.hidden = false;
  ui.conv.dataset.conversation = c.conversation_id;
  ui.console.classList.add('has-open');
  renderHeader(c);
  renderHandoff(c);
  renderDraft(c, switched);
  renderTranscript(c.messages || [], switched);
  renderButtons(c);
  if (atEnd) t.scrollTop = t.scrollHeight;
  markCurrent();
}

function markCurrent() {
  for (const b of document.querySelectorAll('.queue-item')) {
    b.setAttribute('aria-current', String(b.dataset.conversation === desk.openId));
  }
}

async function openConversation(id) {
  if (id !== desk.openId) closeTransfer();
  desk.openId = id;
  try {
    const c = await api(convPath(id));
    if (id === desk.openId) renderConversation(c); // not if another was opened meanwhile
  } catch (err) {
    showError(err.message);
    if (err.status === 404) closeConversation();
  }
}

function closeConversation(reload = true) {
  Object.assign(desk, { openId: '', conv: null });
  closeTransfer();
  ui.conv.hidden = true;
  ui.draft.hidden = true;
  ui.placeholder.hidden = false;
  ui.console.classList.remove('has-open');
  ui.transcript.replaceChildren();
  if (reload) loadQueue();
}

// ---- actions ----

// act posts one action on the open conversation and shows the result.
async function act(action, body = {}) {
  const id = desk.openId;
  if (!id) return;
  const r = await api(convPath(id, action), body);
  if (id !== desk.openId) return;
  if (r && Array.isArray(r.messages)) renderConversation(r);
  else await openConversation(id);
  loadQueue();
}

function replyText() {
  const text = ui.reply.value.trim();
  if (!text) throw new Error('请输入内容。');
  return text;
}

async function sendReply(kind) {
  await act(kind, { text: replyText() });
  ui.reply.value = '';
  ui.reply.focus();
}

function insertCanned() {
  const text = ui.canned.value === '' ? '' : desk.canned[Number(ui.canned.value)];
  ui.canned.value = '';
  if (!text) return;
  const { selectionStart: a, selectionEnd: b, value } = ui.reply;
  ui.reply.value = value.slice(0, a) + text + value.slice(b);
  ui.reply.focus();
  ui.reply.setSelectionRange(a + text.length, a + text.length);
}

async function loadStaff() {
  desk.staff = (await api('/api/staff/staff')).staff || [];
}

async function openTransfer() {
  if (!ui.transferPanel.hidden) return closeTransfer();
  await loadStaff();
  const me = desk.me?.username;
  const teams = desk.teams.filter((t) => t.id !== desk.conv?.team);
  const people = desk.staff.filter((s) => !s.disabled && s.username !== me);
  ui.transferTarget.replaceChildren(
    h('optgroup', { label: '工作组（进入该组排队）' }, ...teams.map((t) => h('option', { value: `team:${t.id}` }, t.name))),
    h('optgroup', { label: '同事（直接转给）' },
      ...people.map((s) => h('option', { value: `staff:${s.username}` }, `${s.name || s.username}（${s.username}）`))));
  ui.transferPanel.hidden = false;
  ui.transfer.setAttribute('aria-expanded', 'true');
  ui.transferTarget.focus();
}

function closeTransfer() {
  ui.transferPanel.hidden = true;
  ui.transfer.setAttribute('aria-expanded', 'false');
}

async function confirmTransfer() {
  const [kind, target] = ui.transferTarget.value.split(/:(.*)/s);
  if (!target) throw new Error('请选择要转给的工作组或同事。');
  await act('transfer', kind === 'team' ? { team: target } : { staff: target });
  closeTransfer();
}

// ---- live updates ----

// scheduleRefresh batches bursts of queue events into one refetch.
function scheduleRefresh(id) {
  const r = desk.refresh || (desk.refresh = { conv: false });
  r.conv ||= !id || id === desk.openId;
  if (r.timer) return;
  r.timer = setTimeout(() => {
    desk.refresh = null;
    loadQueue();
    if (r.conv && desk.openId) openConversation(desk.openId);
  }, 200);
}

function setLive(on, text) {
  ui.live.dataset.live = on ? 'on' : 'off';
  ui.live.textContent = text;
}

function connectEvents() {
  desk.events?.close();
  const es = new EventSource('/api/staff/events');
  desk.events = es;
  es.addEventListener('open', () => setLive(true, '实时在线'));
  es.addEventListener('queue', (e) => scheduleRefresh(parseJSON(e.data)?.conversation_id));
  es.addEventListener('error', () => {
    setLive(false, '连接中断，正在重连…');
    if (es.readyState !== EventSource.CLOSED) return; // the browser retries by itself
    setTimeout(() => {
      if (desk.events !== es) return;
      api('/api/staff/me').then(() => { connectEvents(); scheduleRefresh(); },
        (err) => { if (err.status !== 401) connectEvents(); });
    }, 5000);
  });
}

// ---- start ----

function wire() {
  const on = [
    [ui.loginForm, 'submit', login], [$('logout'), 'click', logout],
    [ui.replyForm, 'submit', (e) => { e.preventDefault(); return sendReply('reply'); }],
    [ui.note, 'click', () => sendReply('note')], [ui.claim, 'click', () => act('claim')],
    [ui.transfer, 'click', openTransfer], [$('transfer-confirm'), 'click', confirmTransfer],
    [$('transfer-cancel'), 'click', closeTransfer], [ui.canned, 'change', insertCanned],
    [ui.resolve, 'click', () => act('resolve')], [ui.handback, 'click', () => act('handback')],
    [$('back'), 'click', closeConversation],
  ];
  for (const [el, type, fn] of on) el.addEventListener(type, guard(fn));
  ui.reply.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !ui.send.disabled) ui.replyForm.requestSubmit();
  });
}

async function start() {
  wire();
  setInterval(tick, 1000);
  try {
    await loadMe();
    showConsole();
  } catch (err) {
    showLogin();
    if (err.status !== 401) {
      ui.loginError.textContent = err.message;
      ui.loginError.hidden = false;
    }
  }
}

start();
