exports['en'] = require('./locales/en');
