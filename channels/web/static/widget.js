// Banban embeddable widget:
//   <script src="https://host/widget.js" defer></script>
// adds a floating 在线咨询 button that opens the chat (/?embed=1 on the
// script's own origin) in a panel. Styles are set on the elements
// themselves, so the host page's CSS and CSP (style-src) do not get in the
// way. The only global is window.BanbanWidget.
(() => {
  'use strict';
  if (window.BanbanWidget) return;

  const ACCENT = '#1e5bb8';
  const FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif';
  const Z = '2147483000';
  const script = document.currentScript
    || [...document.scripts].find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));
  const origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const phone = window.matchMedia('(max-width: 480px)');
  let button = null;
  let panel = null;
  let frame = null;
  let isOpen = false;

  const reset = { boxSizing: 'border-box', margin: '0', fontFamily: FONT, lineHeight: '1.4' };

  function make(tag, styles, attrs = {}) {
    const el = document.createElement(tag);
    Object.assign(el.style, reset, styles);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  }

  function buildButton() {
    button = make('button', {
      position: 'fixed', right: '20px', bottom: '20px', zIndex: Z, width: '64px', height: '64px',
      padding: '6px', border: '0', borderRadius: '50%', background: ACCENT, color: '#fff',
      fontSize: '13px', fontWeight: '600', cursor: 'pointer', boxShadow: '0 4px 14px rgba(0,0,0,.25)',
    }, { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'banban-widget-panel', 'data-testid': 'widget-button' });
    button.textContent = '在线咨询';
    button.addEventListener('click', toggle);
    document.body.append(button);
  }

  function buildPanel() {
    panel = make('div', {
      position: 'fixed', zIndex: Z, display: 'none', flexDirection: 'column', overflow: 'hidden',
      background: '#fff', boxShadow: '0 8px 30px rgba(0,0,0,.25)',
    }, { id: 'banban-widget-panel', role: 'dialog', 'aria-label': '在线咨询', 'data-testid': 'widget-panel' });
    const bar = make('div', {
      display: 'flex', alignItems: 'center', justifyContent: 'space-between', flex: '0 0 auto',
      height: '44px', padding: '0 8px 0 14px', background: ACCENT, color: '#fff', fontSize: '15px',
    });
    const title = make('span', { fontWeight: '600' });
    title.textContent = '在线咨询 · 帮办助手';
    const close = make('button', {
      width: '36px', height: '36px', padding: '0', border: '0', borderRadius: '6px',
      background: 'transparent', color: '#fff', fontSize: '24px', lineHeight: '1', cursor: 'pointer',
    }, { type: 'button', 'aria-label': '关闭', 'data-testid': 'widget-close' });
    close.textContent = '×';
    close.addEventListener('click', hide);
    bar.append(title, close);
    panel.append(bar);
    panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
    document.body.append(panel);
    layout();
  }

  // layout sizes the panel: 380x600 on a desktop, the whole screen on a phone.
  function layout() {
    if (!panel) return;
    const small = phone.matches;
    Object.assign(panel.style, small
      ? { top: '0', left: '0', right: '0', bottom: '0', width: '100%', height: '100%', maxHeight: 'none', borderRadius: '0' }
      : { top: 'auto', left: 'auto', right: '20px', bottom: '96px', width: '380px', height: '600px',
        maxHeight: 'calc(100vh - 116px)', borderRadius: '12px' });
    button.style.display = small && isOpen ? 'none' : 'block';
  }

  function ensureFrame() {
    if (frame) return;
    frame = make('iframe', { flex: '1 1 auto', width: '100%', border: '0', display: 'block' },
      { src: `${origin}/?embed=1`, title: '在线咨询', 'data-testid': 'widget-frame' });
    panel.append(frame);
  }

  function show() {
    if (!panel) buildPanel();
    ensureFrame();
    isOpen = true;
    panel.style.display = 'flex';
    button.setAttribute('aria-expanded', 'true');
    layout();
    panel.querySelector('button').focus();
  }

  function hide() {
    if (!panel || !isOpen) return;
    isOpen = false;
    panel.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    layout();
    button.focus();
  }

  function toggle() {
    if (isOpen) hide();
    else show();
  }

  function start() {
    buildButton();
    phone.addEventListener('change', layout);
  }

  window.BanbanWidget = Object.freeze({ open: show, close: hide, toggle });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
