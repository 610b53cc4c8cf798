#!/usr/bin/env node
// Drives the official TypeScript SDK (@atproto/api, pinned in package.json) for the end-to-end tests,
// so that the Java tests can hand sessions to it and take sessions from it as a Node service would.
//
//   node agent.js [--install-dir DIR]
//
// --install-dir   the folder whose node_modules holds the pinned packages (default: this folder)
//
// Reads one JSON request a line on stdin and answers each with one JSON line on stdout, in order:
//
//   {"op":"login","service":URL,"identifier":ID,"password":PW,"clientIp":IP}
//       AtpAgent.login; answers {"ok":true,"sessionJson":TEXT,"events":[...],"pdsUrl":URL|null}, where
//       sessionJson is JSON.stringify of the AtpSessionData the SDK handed to persistSession, as a
//       Node application stores it.
//   {"op":"resume","service":URL,"sessionJson":TEXT,"clientIp":IP,"post":TEXT}
//       a new AtpAgent, resumeSession(JSON.parse(sessionJson)), then getSession and a post made
//       with the resumed session; answers {"ok":true,"did","handle","pdsUrl","uri","sessionJson",
//       "events"}.
//   {"op":"inspect","sessionJson":TEXT}
//       what the SDK's own DID document helpers make of the didDoc in a session JSON:
//       {"ok":true,"hasDidDoc","validDidDoc","pdsEndpoint"}.
//
// A request that fails answers {"ok":false,"error":NAME,"status":N,"message":TEXT}. Every request
// the SDK sends carries the given X-Forwarded-For, so that the PDS counts its logins in a bucket
// of its own. The process ends when stdin closes (the JVM that started it is done or died).
'use strict'

const path = require('node:path')
const readline = require('node:readline')
const { createRequire } = require('node:module')

function parseArgs(argv) {
  const options = { installDir: __dirname }
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] !== '--install-dir' || argv[i + 1] === undefined) {
      throw new Error(`usage: agent.js [--install-dir DIR], not ${argv.join(' ')}`)
    }
    options.installDir = argv[i + 1]
  }
  return options
}

const options = parseArgs(process.argv.slice(2))
const load = createRequire(path.join(path.resolve(options.installDir), 'package.json'))
const { AtpAgent } = load('@atproto/api')
// The helpers @atproto/api itself uses to find the PDS in a didDoc (a dependency it pins).
const { isValidDidDoc, getPdsEndpoint } = load('@atproto/common-web')

/** An agent whose every request carries the test's X-Forwarded-For, and a record of what it persisted. */
function newAgent(service, clientIp) {
  const persisted = { events: [], session: undefined }
  const agent = new AtpAgent({
    service,
    fetch: (input, init) => {
      const request = new Request(input, init)
      if (clientIp) request.headers.set('x-forwarded-for', clientIp)
      return fetch(request)
    },
    persistSession: (event, session) => {
      persisted.events.push(event)
      persisted.session = session
    },
  })
  return { agent, persisted }
}

function stored(persisted) {
  return persisted.session === undefined ? null : JSON.stringify(persisted.session)
}

async function login(request) {
  const { agent, persisted } = newAgent(request.service, request.clientIp)
  await agent.login({ identifier: request.identifier, password: request.password })
  return { sessionJson: stored(persisted), events: persisted.events, pdsUrl: agent.pdsUrl?.toString() ?? null }
}

async function resume(request) {
  const { agent, persisted } = newAgent(request.service, request.clientIp)
  await agent.resumeSession(JSON.parse(request.sessionJson))
  const session = await agent.com.atproto.server.getSession()
  const post = await agent.com.atproto.repo.createRecord({
    repo: session.data.did,
    collection: 'app.bsky.feed.post',
    record: { $type: 'app.bsky.feed.post', text: request.post ?? 'posted by @atproto/api', createdAt: new Date().toISOString() },
  })
  return {
    did: session.data.did,
    handle: session.data.handle,
    pdsUrl: agent.pdsUrl?.toString() ?? null,
    uri: post.data.uri,
    sessionJson: stored(persisted),
    events: persisted.events,
  }
}

function inspect(request) {
  const didDoc = JSON.parse(request.sessionJson).didDoc
  const validDidDoc = didDoc !== undefined && isValidDidDoc(didDoc)
  return {
    hasDidDoc: didDoc !== undefined,
    validDidDoc,
    pdsEndpoint: validDidDoc ? getPdsEndpoint(didDoc) ?? null : null,
  }
}

const operations = { login, resume, inspect }

async function answer(line) {
  try {
    const request = JSON.parse(line)
    const operation = operations[request.op]
    if (!operation) throw new Error(`unknown op ${request.op}`)
    return { ok: true, ...(await operation(request)) }
  } catch (err) {
    // XRPCError carries the server's error name and status; its message is the server's text.
    return { ok: false, error: err?.error ?? err?.name ?? 'Error', status: err?.status ?? null, message: String(err?.message ?? err) }
  }
}

// One request at a time, in order: the Java side waits for each answer.
let queue = Promise.resolve()
const lines = readline.createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (!line.trim()) return
  queue = queue.then(async () => process.stdout.write(JSON.stringify(await answer(line)) + '\n'))
})
lines.on('close', () => queue.then(() => process.exit(0)))
