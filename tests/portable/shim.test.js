// Unit tables for portable/shim.js's pure parts: which binary, which address,
// which proxy, and what counts as the release's binary. The whole shim, run as
// the runner runs it, is tests/portable/run.sh's subject.
//
//   node --test tests/portable/*.test.js
'use strict'

const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const path = require('node:path')
const { PassThrough } = require('node:stream')
const test = require('node:test')
const zlib = require('node:zlib')

const shim = require('../../portable/shim.js')

const binary = Buffer.from('#!/bin/sh\necho the release binary\n')
const asset = {
  file: 'repository-dispatch-v1.2.3-x86_64-unknown-linux-musl.gz',
  sha256: crypto.createHash('sha256').update(binary).digest('hex'),
  size: binary.length,
}
const table = {
  version: '1.2.3',
  tag: 'v1.2.3',
  repository: 'octo-org/repository-dispatch',
  assets: Object.fromEntries(shim.PLATFORMS.map((key) => [key, { ...asset, file: `${key}.gz` }])),
}

test('pick: the table entry for RUNNER_OS and RUNNER_ARCH', () => {
  for (const [system, arch, key, note] of [
    ['Linux', 'X64', 'Linux-X64', null],
    ['Linux', 'ARM64', 'Linux-ARM64', null],
    ['macOS', 'X64', 'macOS-X64', null],
    ['macOS', 'ARM64', 'macOS-ARM64', null],
    ['Windows', 'X64', 'Windows-X64', null],
    ['Windows', 'ARM64', 'Windows-X64', 'Windows on Arm: running the x64 binary, which Windows emulates'],
  ]) {
    const picked = shim.pick(table, { system, arch }, 'o/r@v1')
    assert.equal(picked.key, key, `${system} ${arch}`)
    assert.equal(picked.asset.file, `${key}.gz`)
    assert.equal(picked.note, note)
  }
})

test('pick: a platform the release has no binary for is named, with the ones it has', () => {
  for (const [system, arch] of [
    ['Linux', 'ARM'],
    ['Linux', 'X86'],
    ['FreeBSD', 'X64'],
    ['Windows', 'X86'],
  ]) {
    assert.throws(
      () => shim.pick(table, { system, arch }, 'octo-org/repository-dispatch@v1.2.3'),
      (e) =>
        e instanceof shim.Failure &&
        e.message ===
          `there is no release binary for ${system} ${arch} (RUNNER_OS and RUNNER_ARCH): the release has ` +
            'Linux ARM64, Linux X64, Windows X64, macOS ARM64 and macOS X64. On Linux with Docker use the ' +
            'container action (uses: octo-org/repository-dispatch@v1.2.3); elsewhere build the binary ' +
            '(cargo build --release --locked) and give its path as binary-path'
    )
  }
})

test('platformOf: the runner variables, else this process', () => {
  assert.deepEqual(shim.platformOf({ RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64' }), { system: 'macOS', arch: 'ARM64' })
  const own = shim.platformOf({})
  assert.equal(own.system, { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[process.platform])
  assert.equal(own.arch, { x64: 'X64', arm64: 'ARM64' }[process.arch])
})

test('hasTable: only a release commit carries one', () => {
  assert.equal(shim.hasTable(table), true)
  for (const t of [
    { assets: {}, repository: null, tag: null, version: null },
    { ...table, version: null },
    { ...table, tag: '' },
    null,
  ]) {
    assert.equal(shim.hasTable(t), false, JSON.stringify(t))
  }
})

test('downloadUrl: the release on github.com, or the mirror folder', () => {
  const a = { file: 'repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz' }
  for (const [mirror, url] of [
    ['', 'https://github.com/octo-org/repository-dispatch/releases/download/v1.2.3/repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz'],
    ['https://mirror.example/rd/v1.2.3', 'https://mirror.example/rd/v1.2.3/repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz'],
    ['https://mirror.example/rd/v1.2.3//', 'https://mirror.example/rd/v1.2.3/repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz'],
    ['http://10.0.0.5:8080/', 'http://10.0.0.5:8080/repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz'],
    // A mirror's query (a token some servers take) stays a query.
    ['https://mirror.example/dl/?token=abc', 'https://mirror.example/dl/repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz?token=abc'],
  ]) {
    assert.equal(shim.downloadUrl(table, a, mirror), url, mirror)
  }
  for (const [mirror, says] of [
    ['mirror.example/rd', 'binary-url is not an address: "mirror.example/rd"'],
    ['ftp://mirror.example/rd', 'binary-url must be an http(s) address, not ftp:'],
    ['file:///srv/rd', 'binary-url must be an http(s) address, not file:'],
  ]) {
    assert.throws(() => shim.downloadUrl(table, a, mirror), (e) => e instanceof shim.Failure && e.message.startsWith(says), mirror)
  }
})

test('cachePlace: the tool cache layout of @actions/tool-cache', () => {
  const place = shim.cachePlace({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache' }, '1.2.3', 'Linux-ARM64')
  assert.deepEqual(place, {
    dir: path.join('/opt/hostedtoolcache', 'repository-dispatch', '1.2.3', 'arm64'),
    file: path.join('/opt/hostedtoolcache', 'repository-dispatch', '1.2.3', 'arm64', 'repository-dispatch'),
    marker: path.join('/opt/hostedtoolcache', 'repository-dispatch', '1.2.3', 'arm64.complete'),
  })
  const windows = shim.cachePlace({ RUNNER_TOOL_CACHE: '/c/hostedtoolcache' }, '1.2.3', 'Windows-X64')
  assert.equal(path.basename(windows.file), 'repository-dispatch.exe')
  // No tool cache (not on a runner): under RUNNER_TEMP.
  assert.equal(shim.cachePlace({ RUNNER_TEMP: '/tmp/r' }, '1.2.3', 'Linux-X64').dir, path.join('/tmp/r', 'tool-cache', 'repository-dispatch', '1.2.3', 'x64'))
})

test('bypassesProxy: NO_PROXY as curl and the runner read it', () => {
  for (const [list, url, bypass] of [
    ['', 'https://github.com/x', false],
    ['*', 'https://github.com/x', true],
    ['github.com', 'https://github.com/x', true],
    ['github.com', 'https://objects.github.com/x', true],
    ['.github.com', 'https://objects.github.com/x', true],
    ['*.github.com', 'https://objects.github.com/x', true],
    ['.github.com', 'https://github.com/x', true],
    ['hub.com', 'https://github.com/x', false],
    ['example.com, github.com', 'https://github.com/x', true],
    ['GITHUB.COM', 'https://github.com/x', true],
    ['github.com:443', 'https://github.com/x', true],
    ['github.com:8443', 'https://github.com/x', false],
    ['127.0.0.1', 'https://127.0.0.1:9000/x', true],
    ['127.0.0.1:9000', 'https://127.0.0.1:9000/x', true],
    ['127.0.0.1:9001', 'https://127.0.0.1:9000/x', false],
    ['localhost', 'https://127.0.0.1:9000/x', false],
    ['[::1]', 'https://[::1]:9000/x', true],
    ['[::1]:9000', 'https://[::1]:9000/x', true],
    ['[::1]:9001', 'https://[::1]:9000/x', false],
    ['::1', 'https://[::1]:9000/x', true],
  ]) {
    assert.equal(shim.bypassesProxy({ NO_PROXY: list }, new URL(url)), bypass, `${list} ${url}`)
  }
  // no_proxy, as the runner writes it, comes first; an empty one does not hide NO_PROXY.
  assert.equal(shim.bypassesProxy({ no_proxy: 'github.com', NO_PROXY: '' }, new URL('https://github.com/')), true)
  assert.equal(shim.bypassesProxy({ no_proxy: '', NO_PROXY: 'github.com' }, new URL('https://github.com/')), true)
})

test('proxyFor: HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY past both', () => {
  const github = new URL('https://github.com/x')
  assert.equal(shim.proxyFor({}, github), null)
  assert.equal(shim.proxyFor({ HTTPS_PROXY: 'http://proxy:3128' }, github).host, 'proxy:3128')
  assert.equal(shim.proxyFor({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, github).host, 'lower:1')
  assert.equal(shim.proxyFor({ HTTPS_PROXY: 'proxy:3128' }, github).host, 'proxy:3128')
  assert.equal(shim.proxyFor({ HTTP_PROXY: 'http://proxy:3128' }, github), null)
  assert.equal(shim.proxyFor({ HTTP_PROXY: 'http://proxy:3128' }, new URL('http://mirror/x')).host, 'proxy:3128')
  assert.equal(shim.proxyFor({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'github.com' }, github), null)
  assert.throws(() => shim.proxyFor({ HTTPS_PROXY: 'socks5://proxy:1080' }, github), /not an http:\/\/ proxy/)
})

test('unpack: exactly the pinned bytes, gzipped or plain; anything else is refused', () => {
  assert.deepEqual(shim.unpack(zlib.gzipSync(binary), asset, 'https://x/a.gz'), binary)
  assert.deepEqual(shim.unpack(binary, asset, 'https://x/a.gz'), binary)
  const other = Buffer.from(binary)
  other[other.length - 2] ^= 1
  const bigger = Buffer.concat([binary, Buffer.alloc(1 << 20)])
  for (const [bytes, says] of [
    [zlib.gzipSync(other), `SHA-256 ${crypto.createHash('sha256').update(other).digest('hex')} (${binary.length} bytes), where the release pinned ${asset.sha256}`],
    [other, 'is not the release\'s binary'],
    [zlib.gzipSync(bigger), `it does not decompress to at most ${asset.size} bytes`],
    [Buffer.from([0x1f, 0x8b, 0, 1, 2]), 'it does not decompress'],
    [Buffer.alloc(0), '(0 bytes)'],
  ]) {
    assert.throws(
      () => shim.unpack(bytes, asset, 'https://x/a.gz'),
      (e) => e instanceof shim.Failure && e.message.includes(says) && e.message.includes('It was not run and not kept'),
      says
    )
  }
})

test('childEnv: the runner environment minus the shim\'s own inputs, in both spellings', () => {
  const env = {
    'INPUT_BINARY-URL': 'https://m/',
    'INPUT_BINARY-PATH': '',
    INPUT_BINARY_URL: 'https://m/',
    INPUT_BINARY_PATH: '/opt/rd',
    'INPUT_EVENT-TYPE': 'deploy',
    PATH: '/bin',
  }
  assert.deepEqual(shim.childEnv(env), { 'INPUT_EVENT-TYPE': 'deploy', PATH: '/bin' })
  assert.equal(env['INPUT_BINARY-URL'], 'https://m/', 'the step environment itself is left alone')
})

test('escapeData: a message stays one workflow command', () => {
  assert.equal(shim.escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext')
})

test('readBody: the whole answer, else no more than the limit, and not forever', { timeout: 5000 }, async () => {
  const whole = new PassThrough()
  const reading = shim.readBody(whole, 10, 5000)
  whole.write('12345')
  whole.end('67890')
  assert.deepEqual(await reading, Buffer.from('1234567890'))

  const large = new PassThrough()
  const refused = shim.readBody(large, 10, 5000)
  large.write('12345678901')
  await assert.rejects(refused, /the answer is larger than 10 bytes/)

  // A server that sends a byte now and then never finishes.
  const trickle = new PassThrough()
  const slow = shim.readBody(trickle, 1000, 200)
  const drip = setInterval(() => trickle.write('x'), 20)
  drip.unref()
  try {
    await assert.rejects(slow, /the download did not finish within 0.2 s/)
  } finally {
    clearInterval(drip)
  }
})

test('shown: an address as the log may show it, without credentials or query', () => {
  for (const [address, text] of [
    ['https://user:secret@mirror.example/rd/a.gz', 'https://mirror.example/rd/a.gz'],
    ['https://objects.example/a.gz?X-Amz-Signature=abc&X-Amz-Credential=def', 'https://objects.example/a.gz'],
    ['http://127.0.0.1:8080/v1/a.gz', 'http://127.0.0.1:8080/v1/a.gz'],
    ['not an address', '(an address that does not parse)'],
  ]) {
    assert.equal(shim.shown(address), text, address)
  }
})

test('privateCopy: the bytes, in a new folder of RUNNER_TEMP only this user may enter', () => {
  const fs = require('node:fs')
  const os = require('node:os')
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-test-'))
  try {
    const one = shim.privateCopy({ RUNNER_TEMP: temp }, binary, 'repository-dispatch')
    const two = shim.privateCopy({ RUNNER_TEMP: temp }, binary, 'repository-dispatch')
    assert.notEqual(path.dirname(one), path.dirname(two), 'a new folder each time')
    assert.equal(path.dirname(path.dirname(one)), temp)
    assert.deepEqual(fs.readFileSync(one), binary)
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(path.dirname(one)).mode & 0o777, 0o700)
      assert.equal(fs.statSync(one).mode & 0o777, 0o700)
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true })
  }
})
