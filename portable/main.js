// The portable action's main step (action.yml here): see shim.js.
'use strict'
require('./shim.js').main('send', __dirname)
