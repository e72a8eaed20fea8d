// The Banban mini-program: set base to Banban's public address, and add it as
// a request domain (request合法域名) in the mini-program's settings.
App({
  globalData: {
    base: 'https://banban.example.gov.cn'
  }
});
