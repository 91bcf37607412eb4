// send.js drives one real Segment-spec SDK, exactly as an application
// would use it, against a running `tower serve`. Only what any team
// configures is set: the host, the write key and the batching (flushAt,
// flushInterval). The retry hooks are observers: they count retries so the
// test can prove the clients really had to retry, and change nothing.
//
//   node send.js SDK HOST WRITE_KEY COUNT PREFIX
//
// SDK is "segment" or "rudder". Message i (0 ≤ i < COUNT) has the
// messageId PREFIX-i and the type KINDS[i % KINDS.length]; the Go test
// derives the same plan. Output, one per line:
//
//   enqueued N           after each paced chunk (the test restarts the
//                        server when it sees the middle of the stream)
//   failed ID REASON     a message the SDK gave up on
//   done delivered=N failed=F retries=R
'use strict';

const [sdk, host, writeKey, countArg, prefix] = process.argv.slice(2);
const count = Number(countArg);
if (!sdk || !host || !writeKey || !(count > 0) || !prefix) {
  console.error('usage: node send.js segment|rudder HOST WRITE_KEY COUNT PREFIX');
  process.exit(2);
}

// The same order as sdkKinds in ingest_sdk_test.go.
const KINDS = ['track', 'identify', 'page', 'track', 'group', 'alias'];
const CHUNK = 25; // messages per paced step
const PACE_MS = 20; // between steps: about 1,250 messages a second

function message(i) {
  const n = i % 97;
  const id = `${prefix}-${i}`;
  switch (KINDS[i % KINDS.length]) {
    case 'track':
      return ['track', { messageId: id, userId: `${prefix}-user-${n}`, event: 'Pricing Viewed', properties: { seq: i, plan: 'team' } }];
    case 'identify':
      return ['identify', { messageId: id, userId: `${prefix}-user-${n}`, traits: { email: `${prefix}-user-${n}@example.com`, firstName: 'Ana', seq: i } }];
    case 'page':
      return ['page', { messageId: id, anonymousId: `${prefix}-anon-${n}`, name: 'Pricing', properties: { path: '/pricing', seq: i } }];
    case 'group':
      return ['group', { messageId: id, userId: `${prefix}-user-${n}`, groupId: `${prefix}-acct-${n % 7}`, traits: { seq: i } }];
    case 'alias':
      return ['alias', { messageId: id, userId: `${prefix}-user-${n}`, previousId: `${prefix}-anon-${n}` }];
  }
}

let delivered = 0;
let failed = 0;
let retries = 0;
let settled = 0;
let resolveAll;
const allSettled = new Promise((r) => { resolveAll = r; });

function settle(id, err) {
  if (err) {
    failed++;
    console.log(`failed ${id} ${String(err && err.message ? err.message : err).replace(/\s+/g, ' ')}`);
  } else {
    delivered++;
  }
  if (++settled === count) resolveAll();
}

function makeClient() {
  if (sdk === 'segment') {
    const { Analytics } = require('@segment/analytics-node');
    const client = new Analytics({ writeKey, host, flushAt: 50, flushInterval: 200 });
    client.on('http_request', (req) => { if (req.headers['X-Retry-Count']) retries++; });
    client.on('error', () => {}); // failures are reported per message below
    return {
      send(kind, msg, cb) { client[kind](msg, (err) => cb(err)); },
      close() { return client.closeAndFlush({ timeout: 120000 }); },
    };
  }
  if (sdk === 'rudder') {
    const Analytics = require('@rudderstack/rudder-sdk-node');
    const client = new Analytics(writeKey, {
      dataPlaneUrl: host, flushAt: 50, flushInterval: 200, logLevel: 'none',
      axiosRetryConfig: { onRetry: () => { retries++; } },
      // Without a handler a batch the SDK gives up on rejects a promise
      // nobody awaits, and Node ends the process before it can report.
      errorHandler: () => {},
    });
    return {
      send(kind, msg, cb) { client[kind](msg, (err) => cb(err)); },
      close() { return client.flush(); },
    };
  }
  console.error(`unknown SDK ${sdk}: want segment or rudder`);
  process.exit(2);
}

async function main() {
  const client = makeClient();
  for (let i = 0; i < count; i += CHUNK) {
    for (let j = i; j < Math.min(count, i + CHUNK); j++) {
      const [kind, msg] = message(j);
      client.send(kind, msg, (err) => settle(msg.messageId, err));
    }
    console.log(`enqueued ${Math.min(count, i + CHUNK)}`);
    await new Promise((r) => setTimeout(r, PACE_MS));
  }
  const limit = setTimeout(() => {
    console.log(`failed - gave up waiting: ${count - settled} messages never settled`);
    console.log(`done delivered=${delivered} failed=${failed + count - settled} retries=${retries}`);
    process.exit(1);
  }, 120000);
  await client.close().catch(() => {});
  await allSettled;
  clearTimeout(limit);
  console.log(`done delivered=${delivered} failed=${failed} retries=${retries}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
