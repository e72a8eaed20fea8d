// The chat page: the citizen asks, Banban answers with its sources, quick
// replies answer its questions back, 转人工 hands over to 帮办 staff whose
// replies arrive by polling, and a rating closes the conversation.
const { createClient } = require('./api.js');

const POLL_MS = 3000;

Page({
  data: {
    messages: [], // {seq, role, text, author, sources: [{title, url}]}
    options: [],
    input: '',
    state: 'bot',
    stateLabel: '',
    ticket: '',
    position: 0,
    offerMessage: false,
    rated: false,
    error: '',
    sending: false
  },

  onLoad() {
    this.client = createClient(wx, getApp().globalData.base);
    this.lastSeq = 0;
    return this.refresh();
  },

  onShow() {
    this.startPolling();
  },

  onHide() {
    this.stopPolling();
  },

  onUnload() {
    this.stopPolling();
  },

  onInput(e) {
    this.setData({ input: e.detail.value });
  },

  send() {
    return this.sendText(this.data.input);
  },

  tapOption(e) {
    return this.sendText(e.currentTarget.dataset.text);
  },

  async sendText(text) {
    text = (text || '').trim();
    if (!text || this.data.sending) {
      return;
    }
    this.setData({ sending: true, input: '', options: [], error: '' });
    this.append([{ seq: 0, role: 'citizen', text }]);
    try {
      const r = await this.client.chat(text);
      const msgs = [];
      if (r.answer) {
        msgs.push({ seq: r.seq, role: 'bot', text: r.answer, sources: sources(r.sources) });
      }
      (r.notices || []).forEach((n) => msgs.push(view(n)));
      this.append(msgs);
      this.lastSeq = Math.max(this.lastSeq, r.seq || 0);
      this.setState(r);
      this.setData({ options: r.options || [] });
    } catch (err) {
      this.setData({ error: err.message });
    } finally {
      this.setData({ sending: false });
    }
  },

  async handoff() {
    try {
      const r = await this.client.handoff();
      this.append((r.notices || []).map(view));
      this.setState(r);
    } catch (err) {
      this.setData({ error: err.message });
    }
  },

  async rate(e) {
    try {
      await this.client.rate(Number(e.currentTarget.dataset.score), '');
      this.setData({ rated: true });
    } catch (err) {
      this.setData({ error: err.message });
    }
  },

  // refresh reads what came after the last message seen: staff replies and
  // notices, and where the conversation stands.
  async refresh() {
    try {
      const c = await this.client.conversation(this.lastSeq);
      const fresh = (c.messages || []).filter((m) => m.seq > this.lastSeq && !this.has(m.seq));
      this.append(fresh.map(view));
      (c.messages || []).forEach((m) => { this.lastSeq = Math.max(this.lastSeq, m.seq); });
      this.setState(c);
      this.setData({ rated: !!c.rating });
    } catch (err) {
      this.setData({ error: err.message });
    }
  },

  startPolling() {
    this.stopPolling();
    this.timer = setInterval(() => {
      if (this.data.state !== 'bot') {
        this.refresh();
      }
    }, POLL_MS);
  },

  stopPolling() {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  },

  has(seq) {
    return this.data.messages.some((m) => m.seq === seq && seq > 0);
  },

  append(msgs) {
    if (msgs.length > 0) {
      this.setData({ messages: this.data.messages.concat(msgs) });
    }
  },

  setState(r) {
    this.setData({
      state: r.state || 'bot',
      stateLabel: r.state_label || '',
      ticket: r.ticket || '',
      position: r.position || 0,
      offerMessage: !!r.offer_message
    });
  }
});

function view(m) {
  return { seq: m.seq, role: m.role, text: m.text, author: m.author || '', sources: sources(m.sources) };
}

function sources(list) {
  return (list || []).map((s) => ({ title: s.title, section: s.section || '', url: s.official || s.url }));
}
