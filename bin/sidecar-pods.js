#!/usr/bin/env node
'use strict';
require('../dist/start-cli.js');
