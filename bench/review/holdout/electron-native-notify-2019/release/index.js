'use strict';

const { Notification } = require('electron');

function notify(title, body, options) {
  const n = new Notification(Object.assign({ title: title, body: body, silent: false }, options));
  n.show();
  return n;
}

module.exports = { notify: notify, supported: () => Notification.isSupported() };
