// The vendors' own node SDKs as references for handoff-conformance: twilio (jwt.AccessToken) and stream-chat
// (StreamChat#createToken, #devToken). One SDK per process: `node server.mjs stream|stream-8|twilio|twilio-5`.
// Speaks the JSON-lines protocol of conformance/jsonlines.py: a hello line, then
// {"id","op","args"} -> {"id","ok"} | {"id","error":{"reason","message"}}. End of stdin means exit.
// The clock the SDKs read (Date.now) is frozen at the call's `now` (seconds). Messages never contain secrets.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);

//: which SDK this process runs -> [the package (an alias for an older release), the flow's ops suffix]
const SDKS = {
  stream: ["stream-chat", "stream"],
  "stream-8": ["stream-chat-8", "stream"],
  twilio: ["twilio", "twilio"],
  "twilio-5": ["twilio-5", "twilio"],
};

const chosen = process.argv[2];
if (!(chosen in SDKS)) {
  process.stderr.write(`usage: node server.mjs ${Object.keys(SDKS).join("|")}\n`);
  process.exit(2);
}
const [packageName, family] = SDKS[chosen];
//: the SDK's entry file as node resolves it (for an alias, inside node_modules/<alias>), and the jsonwebtoken that
//: the SDK itself resolves (nested or hoisted): the versions reported are those of the files actually loaded
const entry = require.resolve(packageName);
const jsonwebtokenEntry = createRequire(entry).resolve("jsonwebtoken");

//: the version in the package.json of the package that owns `file` (the nearest one up naming a version)
function ownerVersion(file) {
  for (let directory = dirname(file); directory !== dirname(directory); directory = dirname(directory)) {
    let found;
    try {
      found = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"));
    } catch {
      continue; // no package.json here: look one folder up
    }
    if (found.name && found.version) return found.version;
  }
  return "unknown";
}

class OpError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

function requireString(args, name) {
  if (typeof args[name] !== "string") throw new OpError("InvalidArgument", `${name} must be a string`);
  return args[name];
}

function optional(args, name) {
  return args[name] === null ? undefined : args[name];
}

function withClock(nowSeconds, action) {
  if (typeof nowSeconds !== "number") return action();
  const saved = Date.now;
  Date.now = () => nowSeconds * 1000;
  try {
    return action();
  } finally {
    Date.now = saved;
  }
}

//: jsonwebtoken's messages -> the reason vocabulary of conformance/errors.py
const JWT_ERRORS = {
  "secretOrPrivateKey must have a value": "EmptyKey",
  "tokens can only be created server-side using the API Secret": "EmptySecret",
  "secretOrPrivateKey must be a symmetric key when using HS256": "SecretIsAsymmetricKey",
  '"exp" should be a number of seconds': "InvalidClaim",
  '"iat" should be a number of seconds': "InvalidClaim",
  '"nbf" should be a number of seconds': "InvalidClaim",
  '"expiresIn" should be a number of seconds or string representing a timespan': "InvalidTtl",
  "identity is required to be specified in options": "MissingArgument",
};

function signing(action) {
  try {
    return action();
  } catch (error) {
    if (error instanceof OpError) throw error;
    const reason = JWT_ERRORS[error.message] ?? (error.message.endsWith(" is required") ? "MissingArgument" : null);
    throw new OpError(reason ?? `Error:${error.name}`, error.message);
  }
}

// --- Stream Chat: new StreamChat(key, secret).createToken(userId, exp, iat) and .devToken(userId) -----------------

function streamOps() {
  const { StreamChat } = require(packageName);
  const clients = new Map();
  function client(secret) {
    let found = clients.get(secret);
    if (found === undefined) {
      if (clients.size > 64) clients.clear();
      found = new StreamChat("handoff-conformance", secret, { allowServerSideConnect: true });
      clients.set(secret, found);
    }
    return found;
  }
  return {
    "stream.token.create_node": (args) => {
      const secret = requireString(args, "secret");
      const userId = requireString(args, "userId");
      return withClock(args.now, () =>
        signing(() => client(secret).createToken(userId, optional(args, "exp"), optional(args, "iat"))),
      );
    },
    "stream.token.dev_node": (args) => client("unused").devToken(requireString(args, "userId")),
  };
}

//: the version compiled into the loaded bundle (its user agent reads "stream-chat-js-v<version>-node...")
function streamBundleVersion() {
  const { StreamChat } = require(packageName);
  const agent = new StreamChat("handoff-conformance", "unused", { allowServerSideConnect: true }).getUserAgent();
  return /^stream-chat-js-v([^-|]+)/.exec(agent)?.[1] ?? "unknown";
}

// --- Twilio: new AccessToken(accountSid, keySid, secret, {identity, ttl, nbf, region}) + grants, toJwt() ----------

const GRANTS = {
  chat: "ChatGrant",
  video: "VideoGrant",
  voice: "VoiceGrant",
  sync: "SyncGrant",
  task_router: "TaskRouterGrant",
  playback: "PlaybackGrant",
};

function twilioOps() {
  const twilio = require(packageName);
  const AccessToken = twilio.jwt.AccessToken;
  return {
    "twilio.access_token.create_node": (args) => {
      const options = {};
      for (const name of ["identity", "ttl", "nbf", "region"]) {
        if (optional(args, name) !== undefined) options[name] = args[name];
      }
      return withClock(args.now, () =>
        signing(() => {
          const token = new AccessToken(args.accountSid, args.keySid, args.secret, options);
          for (const grant of args.grants ?? []) {
            const { type, ...grantOptions } = grant;
            token.addGrant(new AccessToken[GRANTS[type]](grantOptions));
          }
          return token.toJwt();
        }),
      );
    },
  };
}

const OPS = family === "stream" ? streamOps() : twilioOps();

function write(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

write({
  hello: {
    name: `${family}-node`,
    ops: Object.keys(OPS),
    versions: {
      node: process.versions.node,
      [family === "stream" ? "stream-chat" : "twilio"]: ownerVersion(entry),
      ...(family === "stream" ? { "stream-chat-bundle": streamBundleVersion() } : {}),
      package: packageName,
      jsonwebtoken: ownerVersion(jsonwebtokenEntry),
    },
  },
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    write({ id: null, error: { reason: "ReferenceIO", message: "request is not JSON" } });
    return;
  }
  const op = OPS[request.op];
  if (op === undefined) {
    write({ id: request.id, error: "unsupported", message: `${request.op} is not in ${chosen}` });
    return;
  }
  try {
    write({ id: request.id, ok: op(request.args ?? {}) });
  } catch (error) {
    if (error instanceof OpError) write({ id: request.id, error: { reason: error.reason, message: error.message } });
    else write({ id: request.id, error: { reason: `Error:${error.name}`, message: String(error.message) } });
  }
});
