// The portable action: runs the release binary of repository-dispatch where a
// container action cannot start (macOS, Windows, ubuntu-slim, runners without
// Docker). Node's built-in modules only: nothing to install, nothing bundled.
//
// main: picks the binary for RUNNER_OS and RUNNER_ARCH from release.json (the
// table the release commit pins: each binary's SHA-256 and size), takes it from
// the runner's tool cache or downloads its gzip asset, checks the SHA-256 before
// it is ever run, and runs it with the environment the runner gave this step.
// post: runs `<binary> revoke` when the main step left GitHub App tokens.
//
// The binary does all the work of the step (it reads the INPUT_* variables and
// writes GITHUB_OUTPUT and GITHUB_STATE itself); this file only gets it there.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const http = require('node:http')
const https = require('node:https')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const tls = require('node:tls')
const zlib = require('node:zlib')
const { spawn } = require('node:child_process')

const TOOL = 'repository-dispatch'
// The shim's own inputs: not passed on to the binary (in either spelling the
// runner may use, hyphen or underscore).
const OWN_INPUTS = ['BINARY-URL', 'BINARY-PATH']
const PLATFORMS = ['Linux-X64', 'Linux-ARM64', 'macOS-X64', 'macOS-ARM64', 'Windows-X64']
const ATTEMPTS = 3
const RETRY_PAUSE_MS = 1000
const MAX_REDIRECTS = 5
const IDLE_TIMEOUT_MS = 30000
// A body that trickles in (each byte within the idle timeout) still ends: the
// whole asset must arrive within this, per attempt, and every attempt within
// the download's deadline (ubuntu-slim's jobs have 15 minutes in all).
const BODY_DEADLINE_MS = 120000
const DOWNLOAD_DEADLINE_MS = 300000
// The state the binary writes when it mints GitHub App tokens (src/auth/mint.rs),
// and the one this shim writes for its post step.
const TOKENS_STATE = 'dispatch_tokens'
const BINARY_STATE = 'binary'

class Failure extends Error {}

// --- inputs and the runner's files --------------------------------------------------

function input(env, name) {
  const upper = name.toUpperCase()
  return (env[`INPUT_${upper}`] || env[`INPUT_${upper.replace(/-/g, '_')}`] || '').trim()
}

// An address as the log may show it: no user or password, no query (a
// mirror's credentials, an asset host's signed parameters).
function shown(address) {
  try {
    const url = new URL(address)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return '(an address that does not parse)'
  }
}

// A workflow command's data: %, CR and LF escaped as the runner reads them.
function escapeData(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function saveState(env, name, value) {
  const file = env.GITHUB_STATE
  if (!file) return
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`
  fs.appendFileSync(file, `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`)
}

// --- which binary --------------------------------------------------------------------

function platformOf(env) {
  const system =
    env.RUNNER_OS || { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[process.platform] || process.platform
  const arch = env.RUNNER_ARCH || { x64: 'X64', arm64: 'ARM64' }[process.arch] || process.arch
  return { system, arch }
}

function names(keys) {
  const words = keys.map((k) => k.replace('-', ' '))
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

// The table's entry for this runner, and a line to log when it is not the
// runner's own platform.
function pick(table, platform, actionRef) {
  const key = `${platform.system}-${platform.arch}`
  const assets = table.assets || {}
  if (assets[key]) return { key, asset: assets[key], note: null }
  if (key === 'Windows-ARM64' && assets['Windows-X64']) {
    return {
      key: 'Windows-X64',
      asset: assets['Windows-X64'],
      note: 'Windows on Arm: running the x64 binary, which Windows emulates',
    }
  }
  throw new Failure(
    `there is no release binary for ${platform.system} ${platform.arch} (RUNNER_OS and RUNNER_ARCH): ` +
      `the release has ${names(Object.keys(assets).sort())}. On Linux with Docker use the container action ` +
      `(uses: ${actionRef}); elsewhere build the binary (cargo build --release --locked) and give its path as binary-path`
  )
}

function hasTable(table) {
  return Boolean(table && table.version && table.tag && table.repository && table.assets)
}

function actionRef(env, table) {
  const repository = (table && table.repository) || env.GITHUB_ACTION_REPOSITORY || 'OWNER/repository-dispatch'
  const tag = (table && table.tag) || 'v1'
  return `${repository}@${tag}`
}

function noTable(env) {
  const repository = env.GITHUB_ACTION_REPOSITORY || 'OWNER/repository-dispatch'
  return new Failure(
    'this copy of the portable action has no pinned checksums: it is used from a branch, a commit or a local ' +
      'folder (./), not from a release, and nothing unverified is downloaded. Use a release tag ' +
      `(uses: ${repository}/portable@v1), or give binary-path to run a binary you built`
  )
}

function exeName(key) {
  return key.startsWith('Windows-') ? `${TOOL}.exe` : TOOL
}

// @actions/tool-cache's layout: <cache>/<tool>/<version>/<arch>/, and the
// marker <arch>.complete beside it once the folder is whole.
function cachePlace(env, version, key) {
  const root = env.RUNNER_TOOL_CACHE || path.join(env.RUNNER_TEMP || os.tmpdir(), 'tool-cache')
  const arch = key.split('-')[1].toLowerCase()
  const dir = path.join(root, TOOL, version, arch)
  return { dir, file: path.join(dir, exeName(key)), marker: `${dir}.complete` }
}

function downloadUrl(table, asset, mirror) {
  if (mirror) {
    let base
    try {
      base = new URL(mirror)
    } catch {
      throw new Failure(`binary-url is not an address: ${JSON.stringify(mirror)}; give the http(s) address of the folder that holds the release's assets`)
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Failure(`binary-url must be an http(s) address, not ${base.protocol}; give the address of the folder that holds the release's assets`)
    }
    base.pathname = `${base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(asset.file)}`
    return base.href
  }
  return `https://github.com/${table.repository}/releases/download/${encodeURIComponent(table.tag)}/${encodeURIComponent(asset.file)}`
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex')
}

// --- the download --------------------------------------------------------------------

// Whether NO_PROXY (or no_proxy) sends this host past the proxy: `*`, a host, a
// domain (`example.com` and `.example.com` both cover its subdomains), each
// optionally with a port.
function bypassesProxy(env, url) {
  const list = env.no_proxy || env.NO_PROXY || ''
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  for (let entry of list.split(/[\s,]+/)) {
    entry = entry.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return true
    let entryPort = null
    // host:port, [v6]:port; a bare IPv6 address has more than one colon.
    const m = entry.match(/^\[([^\]]+)\](?::(\d+))?$/) || entry.match(/^([^:]+):(\d+)$/)
    if (m) {
      entry = m[1]
      entryPort = m[2] || null
    }
    if (entryPort && entryPort !== port) continue
    entry = entry.replace(/^\*?\./, '').replace(/^\[|\]$/g, '')
    if (host === entry || host.endsWith(`.${entry}`)) return true
  }
  return false
}

function proxyFor(env, url) {
  const value =
    url.protocol === 'https:'
      ? env.https_proxy || env.HTTPS_PROXY
      : env.http_proxy || env.HTTP_PROXY
  if (!value || bypassesProxy(env, url)) return null
  let proxy
  try {
    proxy = new URL(value.includes('://') ? value : `http://${value}`)
  } catch {
    throw new Failure(`the proxy address ${JSON.stringify(value)} (HTTPS_PROXY or HTTP_PROXY) is not an address; correct it, or unset it`)
  }
  if (proxy.protocol !== 'http:') {
    throw new Failure(`the proxy ${proxy.origin} is not an http:// proxy, the only kind this action uses; give an http:// address in HTTPS_PROXY`)
  }
  return proxy
}

function proxyAuthorization(proxy) {
  if (!proxy.username) return {}
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` }
}

// One GET, through the proxy when there is one; resolves with the response.
function request(env, url, headers) {
  return new Promise((resolve, reject) => {
    const proxy = proxyFor(env, url)
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
    const options = { method: 'GET', headers: { ...headers, Host: url.host }, agent: false }
    let req
    const started = (r) => {
      req = r
      req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${IDLE_TIMEOUT_MS / 1000} s`)))
      req.on('response', resolve)
      req.on('error', reject)
      req.end()
    }
    if (!proxy) {
      const module = url.protocol === 'https:' ? https : http
      started(module.request(url, options))
    } else if (url.protocol === 'http:') {
      started(
        http.request({
          ...options,
          host: proxy.hostname,
          port: Number(proxy.port) || 80,
          path: url.href,
          headers: { ...options.headers, ...proxyAuthorization(proxy) },
        })
      )
    } else {
      const connect = http.request({
        host: proxy.hostname,
        port: Number(proxy.port) || 80,
        method: 'CONNECT',
        path: `${url.hostname}:${port}`,
        headers: { Host: `${url.hostname}:${port}`, ...proxyAuthorization(proxy) },
        agent: false,
      })
      connect.setTimeout(IDLE_TIMEOUT_MS, () => connect.destroy(new Error(`the proxy ${proxy.host} did not answer within ${IDLE_TIMEOUT_MS / 1000} s`)))
      connect.on('error', (e) => reject(new Error(`the proxy ${proxy.host}: ${e.message}`)))
      connect.on('connect', (answer, socket) => {
        if (answer.statusCode !== 200) {
          socket.destroy()
          reject(new Error(`the proxy ${proxy.host} refused the tunnel to ${url.host}: ${answer.statusCode} ${answer.statusMessage || ''}`.trim()))
          return
        }
        const host = url.hostname.replace(/^\[|\]$/g, '')
        // The certificate is checked against `host` (an IP address too);
        // SNI carries names only.
        const servername = net.isIP(host) ? undefined : host
        started(
          https.request(url, {
            ...options,
            // With `agent: false` node makes a new Agent, which does not take
            // createConnection: the request did not go through the tunnel and
            // hung until the idle timeout (tests/portable/run.sh, the proxy case).
            agent: undefined,
            createConnection: () => tls.connect({ socket, host, servername, ALPNProtocols: ['http/1.1'] }),
          })
        )
      })
      connect.end()
    }
  })
}

// The body, at most `limit` bytes, within `deadlineMs`.
function readBody(response, limit, deadlineMs = BODY_DEADLINE_MS) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let length = 0
    const timer = setTimeout(
      () => response.destroy(new Error(`the download did not finish within ${deadlineMs / 1000} s`)),
      deadlineMs
    )
    response.on('close', () => clearTimeout(timer))
    response.on('data', (chunk) => {
      length += chunk.length
      if (length > limit) {
        response.destroy(new Error(`the answer is larger than ${limit} bytes`))
        return
      }
      chunks.push(chunk)
    })
    response.on('end', () => resolve(Buffer.concat(chunks)))
    response.on('error', reject)
    response.on('aborted', () => reject(new Error('the connection closed before the end of the answer')))
  })
}

class HttpStatus extends Error {
  constructor(url, status, statusMessage) {
    super(`${url} answered ${status}${statusMessage ? ` ${statusMessage}` : ''}`)
    this.status = status
  }
}

// One attempt: follows redirects (never from https to http), sends no
// credentials, returns the bytes and the address they came from.
async function fetchOnce(env, address, limit, version, log, until) {
  let url = new URL(address)
  const headers = { 'User-Agent': `${TOOL}-portable/${version}`, Accept: 'application/octet-stream' }
  for (let hops = 0; ; hops++) {
    const response = await request(env, url, headers)
    const status = response.statusCode
    if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
      response.resume()
      if (hops === MAX_REDIRECTS) throw new Failure(`${shown(address)}: more than ${MAX_REDIRECTS} redirects`)
      const next = new URL(response.headers.location, url)
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new Failure(`${shown(url.href)} redirects to ${next.protocol}//${next.host}, which is not https; the download was stopped`)
      }
      log.debug(`${shown(url.href)} redirects to ${shown(next.href)}`)
      url = next
      continue
    }
    if (status !== 200) {
      response.resume()
      throw new HttpStatus(shown(url.href), status, response.statusMessage)
    }
    return { bytes: await readBody(response, limit, Math.min(BODY_DEADLINE_MS, Math.max(until - Date.now(), 1))), from: url }
  }
}

// A certificate the host's chain does not lead to (a proxy or mirror with a
// private CA), or one for another name: trying again changes nothing.
function certificateError(error) {
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(error.code || '')
}

function transient(error) {
  if (error instanceof Failure || certificateError(error)) return false
  if (error instanceof HttpStatus) return error.status === 429 || error.status >= 500
  return true
}

async function download(env, address, asset, version, log, pause = RETRY_PAUSE_MS) {
  // gzip adds a few bytes per 32 KiB block to data it cannot compress.
  const limit = Math.ceil(asset.size * 1.01) + 65536
  const until = Date.now() + DOWNLOAD_DEADLINE_MS
  let last
  let attempt = 0
  while (attempt < ATTEMPTS) {
    attempt++
    try {
      return await fetchOnce(env, address, limit, version, log, until)
    } catch (error) {
      last = error
      if (!transient(error) || attempt === ATTEMPTS || Date.now() + pause * attempt >= until) break
      log.info(`download attempt ${attempt} failed (${error.message}); retrying in ${(pause * attempt) / 1000} s`)
      await new Promise((r) => setTimeout(r, pause * attempt))
    }
  }
  if (last instanceof Failure) throw last
  const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`
  if (certificateError(last)) {
    throw new Failure(
      `could not download ${shown(address)}: ${last.message} (${last.code}; ${tries}: another would not help). A proxy ` +
        "or mirror whose certificate comes from a private CA needs that CA: give its PEM file as NODE_EXTRA_CA_CERTS in the step's env"
    )
  }
  const mirror =
    'A runner that cannot reach github.com (GitHub Enterprise Server, an air-gapped network) can take the ' +
    "release's assets from a mirror: give that folder's address as binary-url (the checksums are still checked). " +
    'Behind a proxy, set HTTPS_PROXY (and NO_PROXY for the hosts to reach directly)'
  if (last instanceof HttpStatus && last.status === 404) {
    throw new Failure(`could not download ${asset.file}: ${last.message}, so the release (or the mirror) has no such asset. ${mirror}`)
  }
  throw new Failure(`could not download ${shown(address)}: ${last.message} (${tries}). ${mirror}`)
}

// The binary from the downloaded bytes: gunzipped (a server may also have sent
// it plain), and exactly the pinned size and SHA-256, or a Failure.
function unpack(bytes, asset, address) {
  let binary = bytes
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      binary = zlib.gunzipSync(bytes, { maxOutputLength: asset.size + 1 })
    } catch (error) {
      throw new Failure(
        `${asset.file} from ${address} is not the release's asset: it does not decompress to at most ${asset.size} bytes (${error.message}). It was not run and not kept; if binary-url names a mirror, copy the asset again from the release`
      )
    }
  }
  const digest = sha256(binary)
  if (binary.length !== asset.size || digest !== asset.sha256) {
    throw new Failure(
      `${asset.file} from ${address} is not the release's binary: SHA-256 ${digest} (${binary.length} bytes), ` +
        `where the release pinned ${asset.sha256} (${asset.size} bytes). It was not run and not kept; if binary-url ` +
        'names a mirror, copy the asset again from the release, else retry, and report it if it happens again'
    )
  }
  return binary
}

// Puts the binary in place: written under another name, then renamed, so that
// a job running beside this one never sees half a file.
function store(place, binary) {
  fs.mkdirSync(place.dir, { recursive: true })
  const temporary = `${place.file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`
  try {
    fs.writeFileSync(temporary, binary, { mode: 0o755 })
    fs.renameSync(temporary, place.file)
  } catch (error) {
    fs.rmSync(temporary, { force: true })
    throw error
  }
  fs.writeFileSync(place.marker, '')
}

// The cached binary's bytes if it is there and is the pinned one, else null.
function cached(place, asset, log) {
  if (!fs.existsSync(place.marker)) return null
  let bytes
  try {
    bytes = fs.readFileSync(place.file)
  } catch {
    return null
  }
  if (bytes.length === asset.size && sha256(bytes) === asset.sha256) return bytes
  log.warning(
    `the tool cache's ${place.file} is not the release's binary (SHA-256 ${sha256(bytes)}, pinned ${asset.sha256}); it was not run, and is replaced by a fresh download`
  )
  return null
}

// What runs is the bytes that were checked: written, in a new folder only
// this user can enter, to a file created here (never one that was there), so
// that nobody who can write to the tool cache can swap the file between the
// check and the run.
function privateCopy(env, bytes, name) {
  const dir = fs.mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), `${TOOL}-`))
  const file = path.join(dir, name)
  fs.writeFileSync(file, bytes, { mode: 0o700, flag: 'wx' })
  return file
}

// --- resolving and running ------------------------------------------------------------

function loadTable(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'release.json'), 'utf8'))
}

// The binary to run: binary-path as given, or a private copy of the verified
// release binary.
async function resolve(env, table, log) {
  const local = input(env, 'binary-path')
  if (local) {
    if (!fs.existsSync(local)) {
      throw new Failure(`binary-path ${local} does not exist; give the path of a repository-dispatch binary, or leave binary-path out to use the release's`)
    }
    log.info(`running ${local} as given (binary-path): no checksum was checked`)
    return path.resolve(local)
  }
  if (!hasTable(table)) throw noTable(env)
  const platform = platformOf(env)
  const { key, asset, note } = pick(table, platform, actionRef(env, table))
  if (note) log.info(note)
  const place = cachePlace(env, table.version, key)
  const label = `${TOOL} ${table.tag} for ${key.replace('-', ' ')}`
  const hit = cached(place, asset, log)
  if (hit) {
    log.info(`${label}: from the tool cache (${place.file}), SHA-256 verified`)
    return privateCopy(env, hit, exeName(key))
  }
  const address = downloadUrl(table, asset, input(env, 'binary-url'))
  const started = Date.now()
  const { bytes, from } = await download(env, address, asset, table.version, log)
  const binary = unpack(bytes, asset, shown(from.href))
  let kept = `kept in ${place.dir}`
  try {
    store(place, binary)
  } catch (error) {
    // A tool cache the job cannot write to (a read-only self-hosted one):
    // this job runs its copy; the next one downloads again.
    kept = 'not kept'
    log.warning(`could not keep the binary in the tool cache ${place.dir} (${error.message}); the next job downloads it again`)
  }
  log.info(
    `${label}: downloaded ${shown(address)} (${bytes.length} bytes) in ${Date.now() - started} ms, SHA-256 verified, ${kept}`
  )
  return privateCopy(env, binary, exeName(key))
}

function childEnv(env) {
  const copy = { ...env }
  for (const name of OWN_INPUTS) {
    delete copy[`INPUT_${name}`]
    delete copy[`INPUT_${name.replace(/-/g, '_')}`]
  }
  return copy
}

// Runs the binary and resolves with the exit code the step should have.
// A cancelled job: on Linux and macOS the runner signals this process, which
// passes SIGINT and SIGTERM on to the binary. On Windows a child cannot be
// signalled; the runner's Ctrl-C goes to every process of the console, the
// binary's included (so no windowsHide, which would give it none), and this
// process only waits for it. What the binary could not revoke, it left in
// its state for the post step.
function run(binary, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'inherit', env: childEnv(env) })
    const windows = process.platform === 'win32'
    const forward = (signal) => {
      if (!windows) child.kill(signal)
    }
    const signals = windows ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM']
    for (const s of signals) process.on(s, forward)
    child.on('error', (error) => {
      for (const s of signals) process.off(s, forward)
      reject(new Failure(`could not run ${binary}: ${error.message}`))
    })
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward)
      resolve(code !== null ? code : 128 + (os.constants.signals[signal] || 0))
    })
  })
}

function logger(out) {
  return {
    info: (text) => out.write(`${text}\n`),
    warning: (text) => out.write(`::warning::${escapeData(text)}\n`),
    debug: (text) => out.write(`::debug::${escapeData(text)}\n`),
    error: (text) => out.write(`::error::${escapeData(text)}\n`),
  }
}

// The main step. `flow` is `send` (portable/action.yml) or `receive`.
async function main(flow, dir, env = process.env) {
  const log = logger(process.stdout)
  let code
  // Cancelled before the binary runs (during a download): stop at once. A
  // handler runs only between two steps of this script, never inside the
  // synchronous write and rename of store(), so no half file is left.
  const early = (signal) => process.exit(128 + (os.constants.signals[signal] || 0))
  const earlySignals = ['SIGINT', 'SIGTERM']
  for (const s of earlySignals) process.on(s, early)
  try {
    const table = loadTable(dir)
    const binary = await resolve(env, table, log)
    for (const s of earlySignals) process.off(s, early)
    saveState(env, BINARY_STATE, binary)
    code = await run(binary, flow === 'receive' ? ['receive'] : [], env)
  } catch (error) {
    // A Failure says what to do; anything else (a full disk, a file the
    // job may not read) is said as it is, without a stack trace.
    log.error(error instanceof Failure ? error.message : `the portable step could not run the binary: ${error.message}`)
    code = 1
  }
  process.exitCode = code
}

// The post step: revokes the GitHub App tokens the main step left (a cancelled
// job, or the binary stopped before it could), with the binary it ran, once
// that is again the verified one.
async function post(dir, env = process.env) {
  const log = logger(process.stdout)
  if (!(env[`STATE_${TOKENS_STATE}`] || '').trim()) return
  const binary = env[`STATE_${BINARY_STATE}`] || ''
  try {
    if (!binary) throw new Failure('the main step left GitHub App tokens but no binary; they expire by themselves within the hour')
    let runnable = binary
    const table = loadTable(dir)
    if (!input(env, 'binary-path') && hasTable(table)) {
      // The main step's private copy, checked and copied again.
      const { key, asset } = pick(table, platformOf(env), actionRef(env, table))
      const bytes = fs.readFileSync(binary)
      if (bytes.length !== asset.size || sha256(bytes) !== asset.sha256) {
        throw new Failure(`${binary} is no longer the release's binary (its SHA-256 changed since the main step); it was not run, and the GitHub App tokens the main step left expire by themselves within the hour`)
      }
      runnable = privateCopy(env, bytes, exeName(key))
    }
    // Its exit code is not the step's: a revocation never fails the job, and
    // the binary has said why it could not revoke.
    await run(runnable, ['revoke'], env)
  } catch (error) {
    // A revocation never fails the job, whatever went wrong.
    log.warning(
      error instanceof Failure
        ? error.message
        : `the GitHub App tokens the main step left were not revoked (${error.message}); they expire by themselves within the hour`
    )
  }
}

module.exports = {
  Failure,
  PLATFORMS,
  bypassesProxy,
  cachePlace,
  childEnv,
  download,
  downloadUrl,
  escapeData,
  hasTable,
  main,
  pick,
  platformOf,
  post,
  privateCopy,
  proxyFor,
  readBody,
  shown,
  unpack,
}
