#!/usr/bin/env node
// Starts the reference PDS (@atproto/pds) and an in-memory PLC directory (@did-plc/server) on free
// loopback ports, for the end-to-end tests. When both answer, prints one JSON line on stdout with
// what a test needs (URLs, ports, the JWT secret, the data directory), then serves until SIGTERM
// or SIGINT, or until its standard input closes (the JVM that started it died), and then stops both
// servers and deletes its data directory.
//
//   node launch.js [--install-dir DIR] [--data-parent DIR] [--log FILE]
//
// --install-dir   the folder whose node_modules holds the pinned packages (default: this folder)
// --data-parent   where the fresh data directory of this start is made (default: the OS temp folder)
// --log           where the servers' pino log goes (default: pds.log in the data directory, deleted
//                 with it)
//
// Every PDS_* variable already in the environment is passed on, so the caller switches features
// with, e.g., PDS_ENABLE_DID_DOC_WITH_SESSION=true or PDS_RATE_LIMITS_ENABLED=true. The launcher
// owns the ports, the data directory, the PLC URL and the secrets, and sets those itself.
//
// The servers' clock can be moved: `POST <controlUrl>/clock?offsetMs=N` (controlUrl is in the JSON
// line) sets how far ahead of the real time the servers' Date is, so that a test can get past the
// 2-hour refresh grace window of the reference PDS (a constant there) without waiting. This does
// in-process what libfaketime does for a whole process.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const { createRequire } = require('node:module')

// Before anything else is loaded: the servers read the time through Date.
const RealDate = Date
let clockOffsetMs = 0
function ShiftedDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + clockOffsetMs).toString()
  return args.length === 0 ? new RealDate(RealDate.now() + clockOffsetMs) : new RealDate(...args)
}
Object.setPrototypeOf(ShiftedDate, RealDate)
ShiftedDate.prototype = RealDate.prototype
ShiftedDate.now = () => RealDate.now() + clockOffsetMs
globalThis.Date = ShiftedDate

const HOST = '127.0.0.1'
const STARTUP_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

function parseArgs(argv) {
  const options = { installDir: __dirname, dataParent: os.tmpdir(), log: null }
  const names = { '--install-dir': 'installDir', '--data-parent': 'dataParent', '--log': 'log' }
  for (let i = 0; i < argv.length; i += 2) {
    const name = names[argv[i]]
    if (!name) throw new Error(`unknown argument ${argv[i]}`)
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`)
    options[name] = argv[i + 1]
  }
  return options
}

/** A port that was free a moment ago: the PDS needs its port before it binds (its public URL names it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function listen(app, port) {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, HOST)
    server.once('listening', () => resolve(server))
    server.once('error', reject)
  })
}

function get(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume()
      resolve(res.statusCode)
    })
    req.on('error', () => resolve(0))
    req.setTimeout(2000, () => req.destroy())
  })
}

async function waitForHealth(url) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    if ((await get(`${url}/xrpc/_health`)) === 200) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url}/xrpc/_health did not answer 200 within ${STARTUP_TIMEOUT_MS} ms`)
}

function closeServer(server) {
  if (!server) return Promise.resolve()
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections?.()
  })
}

/** The control endpoint: POST /clock?offsetMs=N moves the servers' clock N ms ahead of the real one. */
function control(req, res) {
  const url = new URL(req.url, `http://${HOST}`)
  const offset = Number(url.searchParams.get('offsetMs'))
  if (req.method !== 'POST' || url.pathname !== '/clock' || !Number.isSafeInteger(offset)) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('POST /clock?offsetMs=<integer>\n')
    return
  }
  clockOffsetMs = offset
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ offsetMs: clockOffsetMs }))
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const load = createRequire(path.join(path.resolve(options.installDir), 'package.json'))

  fs.mkdirSync(options.dataParent, { recursive: true })
  const dataDirectory = fs.mkdtempSync(path.join(path.resolve(options.dataParent), 'pds-'))
  const logFile = options.log ? path.resolve(options.log) : path.join(dataDirectory, 'pds.log')

  let pds, pdsServer, plcServer, controlServer
  let stopping = false
  const stop = async (code) => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(code), STOP_TIMEOUT_MS).unref()
    try {
      await closeServer(pdsServer)
      await closeServer(plcServer)
      await closeServer(controlServer)
      await pds?.destroy()
    } catch (err) {
      process.stderr.write(`launch.js: stopping failed: ${err?.stack ?? err}\n`)
    }
    fs.rmSync(dataDirectory, { recursive: true, force: true })
    process.exit(code)
  }
  process.on('SIGTERM', () => stop(0))
  process.on('SIGINT', () => stop(0))
  // The JVM holds our standard input open; when it dies, the pipe closes and we go too.
  process.stdin.on('end', () => stop(0))
  process.stdin.on('error', () => stop(0))
  process.stdin.resume()

  try {
    // Logging is configured from the environment when @atproto/common is first loaded.
    process.env.LOG_ENABLED = process.env.LOG_ENABLED ?? 'true'
    process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'info'
    process.env.LOG_DESTINATION = logFile

    const { PlcServer, Database } = load('@did-plc/server')
    const plcPort = await freePort()
    const plc = PlcServer.create({ db: Database.mock(), port: plcPort })
    plcServer = await listen(plc.app, plcPort)

    const port = await freePort()
    const jwtSecret = crypto.randomBytes(32).toString('hex')
    const env = {
      ...process.env,
      PDS_HOSTNAME: 'localhost',
      PDS_PORT: String(port),
      PDS_DEV_MODE: 'true',
      PDS_INVITE_REQUIRED: 'false',
      PDS_DISABLE_SSRF_PROTECTION: 'true',
      // A host name, not an IP literal: DID resolution refuses IP literals ("Invalid hostname").
      PDS_DID_PLC_URL: `http://localhost:${plcPort}`,
      PDS_JWT_SECRET: jwtSecret,
      PDS_ADMIN_PASSWORD: crypto.randomBytes(16).toString('hex'),
      PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: crypto.randomBytes(32).toString('hex'),
      PDS_DATA_DIRECTORY: dataDirectory,
      PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDirectory, 'blobs'),
    }
    for (const [name, value] of Object.entries(env)) process.env[name] = value

    const { PDS, envToCfg, envToSecrets, readEnv } = load('@atproto/pds')
    const pdsEnv = readEnv()
    const cfg = envToCfg(pdsEnv)
    pds = await PDS.create(cfg, envToSecrets(pdsEnv))
    await pds.ctx.sequencer.start()
    // Never pds.start(): it binds every interface.
    pdsServer = await listen(pds.app, port)
    pdsServer.keepAliveTimeout = 90_000

    const url = `http://${HOST}:${port}`
    await waitForHealth(url)
    const controlPort = await freePort()
    controlServer = await listen({ listen: (p, h) => http.createServer(control).listen(p, h) }, controlPort)
    const version = load('@atproto/pds/package.json').version
    process.stdout.write(JSON.stringify({
      url,
      port,
      publicUrl: cfg.service.publicUrl,
      serviceDid: cfg.service.did,
      plcUrl: env.PDS_DID_PLC_URL,
      plcPort,
      jwtSecret,
      adminPassword: env.PDS_ADMIN_PASSWORD,
      controlUrl: `http://${HOST}:${controlPort}`,
      dataDirectory,
      logFile,
      pid: process.pid,
      pdsVersion: version,
      nodeVersion: process.version,
      didDocWithSession: !!cfg.identity.enableDidDocWithSession,
      rateLimits: !!cfg.rateLimits.enabled,
    }) + '\n')
  } catch (err) {
    process.stderr.write(`launch.js: the PDS did not start: ${err?.stack ?? err}\n`)
    await stop(1)
  }
}

main()
