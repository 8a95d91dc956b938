// The portable action's post step: revokes GitHub App tokens a cancelled
// main step left (see shim.js).
'use strict'
require('./shim.js').post(__dirname)
