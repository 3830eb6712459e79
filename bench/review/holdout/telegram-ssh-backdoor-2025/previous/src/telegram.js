'use strict';

const EventEmitter = require('eventemitter3');
const https = require('https');

class TelegramBot extends EventEmitter {
  constructor(token, options = {}) {
    super();
    this.token = token;
    this.options = options;
    this.baseApiUrl = options.baseApiUrl || 'https://api.telegram.org.invalid';
  }

  _request(method, form) {
    const body = JSON.stringify(form || {});
    const url = new URL(`${this.baseApiUrl}/bot${this.token}/${method}`);
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            const json = JSON.parse(data);
            json.ok ? resolve(json.result) : reject(new Error(json.description));
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  getMe() {
    return this._request('getMe');
  }

  sendMessage(chatId, text, form = {}) {
    return this._request('sendMessage', Object.assign({ chat_id: chatId, text }, form));
  }
}

module.exports = TelegramBot;
