// Runs the chat page's code in Node against a running Banban, with the few
// WeChat APIs it uses (wx.request, wx.login, storage) provided over real
// HTTP, and prints what the page shows as JSON. Used by cmd/banban's
// TestMiniProgramPage:
//   node run.js BASE_URL OPENID chat|poll
// wx.login answers "code-OPENID", which the test's fake code2session takes.
const path = require('path');

const [base, openID, scenario] = process.argv.slice(2);
const storage = new Map();

global.wx = {
  request({ url, method, data, header, success, fail }) {
    const init = { method, headers: Object.assign({ 'Content-Type': 'application/json' }, header) };
    if (method !== 'GET') {
      init.body = JSON.stringify(data || {});
    }
    fetch(url, init)
      .then((res) => res.json().then((body) => success({ statusCode: res.status, data: body })))
      .catch((err) => fail({ errMsg: String(err) }));
  },
  login({ success }) {
    success({ code: 'code-' + openID });
  },
  getStorageSync: (k) => storage.get(k) || '',
  setStorageSync: (k, v) => storage.set(k, v)
};
global.getApp = () => ({ globalData: { base } });
let definition;
global.Page = (def) => {
  definition = def;
};
require(path.join(__dirname, '..', 'pages', 'chat', 'chat.js'));

const page = Object.assign({}, definition, {
  data: JSON.parse(JSON.stringify(definition.data)),
  setData(patch) {
    Object.assign(this.data, patch);
  }
});

async function main() {
  await page.onLoad();
  const seen = {};
  if (scenario === 'chat') {
    await page.sendText('结婚登记要带什么材料');
    await page.sendText('营业执照怎么办');
    seen.options = page.data.options.slice();
    await page.tapOption({ currentTarget: { dataset: { text: seen.options[0] } } });
    await page.handoff();
  }
  const d = page.data;
  console.log(JSON.stringify({ seen, messages: d.messages, state: d.state, ticket: d.ticket, error: d.error }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
