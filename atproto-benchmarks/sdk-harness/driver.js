#!/usr/bin/env node
// The TypeScript SDK's side of the `versus` benchmark: logs in with @atproto/api's AtpAgent and
// times com.atproto.server.getSession calls on command, as the Java side does for AtprotoClient.
//
//   node driver.js --install-dir DIR --service URL --identifier HANDLE --password PASSWORD
//
// It prints `@@bench READY ...` once logged in, then reads commands on its standard input:
//   seq N        N calls one after the other
//   conc C K     C callers at once (concurrent promises on the one event loop), K calls each
// and answers each with one line `@@bench RESULT wallNanos=.. failed=.. nanos=n1,n2,...`. It stops
// when its standard input closes. Every call is bounded: fetch aborts after 30 s.
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const readline = require('node:readline')
const { createRequire } = require('node:module')

const CALL_TIMEOUT_MS = 30_000

function parseArgs(argv) {
  const options = {}
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`)
    options[argv[i].slice(2)] = argv[i + 1]
  }
  for (const name of ['install-dir', 'service', 'identifier', 'password']) {
    if (!options[name]) throw new Error(`--${name} is required`)
  }
  return options
}

function answer(word, fields) {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${String(v).replace(/\s+/g, '_')}`)
  process.stdout.write(`@@bench ${word} ${parts.join(' ')}\n`)
}

async function run(agent, callers, each) {
  const nanos = []
  let failed = 0
  let firstFailure = ''
  const start = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < each; i++) {
        const t0 = process.hrtime.bigint()
        try {
          await agent.com.atproto.server.getSession(undefined, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) })
        } catch (err) {
          failed++
          if (!firstFailure) firstFailure = String(err?.message ?? err).slice(0, 200)
        }
        nanos.push(Number(process.hrtime.bigint() - t0))
      }
    }),
  )
  return { wallNanos: Number(process.hrtime.bigint() - start), failed, firstFailure: firstFailure || '-', nanos: nanos.join(',') }
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const load = createRequire(path.join(path.resolve(options['install-dir']), 'package.json'))
  const { AtpAgent } = load('@atproto/api')
  const agent = new AtpAgent({ service: options.service })
  await agent.login({ identifier: options.identifier, password: options.password })
  // The package's exports do not include its package.json: read the file.
  const installed = path.join(path.resolve(options['install-dir']), 'node_modules/@atproto/api/package.json')
  answer('READY', { api: JSON.parse(fs.readFileSync(installed, 'utf8')).version, node: process.version })

  const lines = readline.createInterface({ input: process.stdin })
  for await (const line of lines) {
    const [command, ...args] = line.trim().split(/\s+/)
    if (command === 'seq') {
      answer('RESULT', await run(agent, 1, Number(args[0])))
    } else if (command === 'conc') {
      answer('RESULT', await run(agent, Number(args[0]), Number(args[1])))
    } else if (command) {
      answer('ERROR', { message: `unknown command ${command}` })
    }
  }
  process.exit(0)
}

main().catch((err) => {
  process.stderr.write(`driver.js: ${err?.stack ?? err}\n`)
  process.exit(1)
})
