// The portable receiving step (receive/action.yml here): see ../shim.js.
'use strict'
const path = require('node:path')
require('../shim.js').main('receive', path.join(__dirname, '..'))
