// The Banban mini-program API (README, "WeChat"): Banban's own session token
// from a wx.login code, kept in storage and renewed once when it expires.
const TOKEN_KEY = 'banban.token';

function createClient(wx, base) {
  function call(method, path, data, token) {
    return new Promise((resolve, reject) => {
      wx.request({
        url: base + path,
        method,
        data,
        header: token ? { Authorization: 'Bearer ' + token } : {},
        success: (res) => resolve(res),
        fail: (err) => reject(new Error((err && err.errMsg) || '网络异常，请稍后再试'))
      });
    });
  }

  function login() {
    return new Promise((resolve, reject) => {
      wx.login({
        success: ({ code }) => {
          call('POST', '/api/mp/login', { code }).then((res) => {
            if (res.statusCode !== 200) {
              reject(new Error(errorText(res)));
              return;
            }
            wx.setStorageSync(TOKEN_KEY, res.data.token);
            resolve(res.data.token);
          }, reject);
        },
        fail: () => reject(new Error('微信登录失败，请稍后再试'))
      });
    });
  }

  // api calls an endpoint with the stored token, signing in first when there
  // is none and once more when Banban says the session has ended.
  async function api(method, path, data) {
    let token = wx.getStorageSync(TOKEN_KEY) || (await login());
    let res = await call(method, path, data, token);
    if (res.statusCode === 401) {
      token = await login();
      res = await call(method, path, data, token);
    }
    if (res.statusCode !== 200) {
      throw new Error(errorText(res));
    }
    return res.data;
  }

  return {
    login,
    chat: (text) => api('POST', '/api/mp/chat', { text }),
    conversation: (after) => api('GET', '/api/mp/conversation?after=' + (after || 0)),
    handoff: () => api('POST', '/api/mp/handoff', {}),
    cancel: () => api('POST', '/api/mp/cancel', {}),
    leaveMessage: (text, contact) => api('POST', '/api/mp/leave-message', { text, contact }),
    rate: (score, comment) => api('POST', '/api/mp/rating', { score, comment })
  };
}

function errorText(res) {
  const e = res && res.data && res.data.error;
  return (e && e.message) || '服务暂时不可用，请稍后再试';
}

module.exports = { createClient };
