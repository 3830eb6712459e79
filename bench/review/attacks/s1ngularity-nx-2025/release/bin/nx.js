#!/usr/bin/env node
'use strict';
const { initLocal } = require('../src/cli/init-local');
initLocal(process.argv.slice(2));
