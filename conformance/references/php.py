"""The ops answered by PHP itself: ``hash_hmac``/``hash_equals`` in one ``php -r`` process per test run.

The PHP script below speaks the JSON-lines protocol of :mod:`conformance.jsonlines`: the Thread ops by
name, and the ``hmac_hex`` kinds (every catalog op of those kinds, with its params: Intercom, Front, Help Scout,
Crisp, tawk.to, Chatwoot, whose snippets all call ``hash_hmac('sha256', $field, $secret)``). Text never crosses
as a JSON string (:mod:`conformance.references.text_wire`): each ``str`` argument is sent as the hex of its UTF-8
bytes, lone surrogates written as their 3-byte forms (``surrogatepass``). PHP receives exactly those bytes and checks them with PCRE's UTF-8 validator
(``preg_match('//u')``); bytes that are not UTF-8 (only lone surrogates can produce them) answer
``UnencodableText``. ``None`` and other non-``str`` values cross as themselves and answer ``NullArgument`` and
``InvalidArgument``, as a PHP function with ``string`` parameters under ``strict_types`` would refuse them.
Messages from PHP never contain argument values.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from conformance import catalog
from conformance.jsonlines import JsonLinesProcess
from conformance.outcome import Outcome
from conformance.references.text_wire import wire_args

SCRIPT = r"""
set_error_handler(function (int $no, string $str, string $file, int $line): bool {
    throw new ErrorException($str, 0, $no, $file, $line);
});
final class RefError extends Exception {
    public function __construct(public string $reason, string $message) { parent::__construct($message); }
}
function arg(array $args, string $name): mixed {
    if (!array_key_exists($name, $args)) { throw new RefError('InvalidArgument', "missing argument $name"); }
    return $args[$name];
}
function hex_arg(array $args, string $name): string {
    $value = arg($args, $name);
    if ($value === null) { throw new RefError('NullArgument', "$name must not be null"); }
    if (!is_string($value)) { throw new RefError('InvalidArgument', "$name must be a string, got " . gettype($value)); }
    if (preg_match('/^(?:[0-9a-fA-F]{2})*$/D', $value) !== 1) { throw new RefError('InvalidArgument', "$name is not hex"); }
    return hex2bin($value);
}
function text_arg(array $args, string $name): string {
    $bytes = hex_arg($args, $name);
    if (preg_match('//u', $bytes) !== 1) {
        throw new RefError('UnencodableText', "$name is not UTF-8 (a lone surrogate has no UTF-8 encoding)");
    }
    return $bytes;
}
$ops = [
    'thread.text_bytes' => fn (array $a) => bin2hex(text_arg($a, 'text')),
    'thread.connection_key' => function (array $a) {
        $email = text_arg($a, 'email');
        $secret = text_arg($a, 'secret');
        return hash_hmac('sha256', $email, $secret);
    },
    'thread.connection_key_bytes' => function (array $a) {
        $email = hex_arg($a, 'emailHex');
        $secret = hex_arg($a, 'secretHex');
        return hash_hmac('sha256', $email, $secret);
    },
    'thread.verify_connection_key' => function (array $a) {
        $email = text_arg($a, 'email');
        $secret = text_arg($a, 'secret');
        $key = text_arg($a, 'key');
        return hash_equals(hash_hmac('sha256', $email, $secret), $key);
    },
    'thread.messenger_params' => function (array $a) {
        $appId = text_arg($a, 'appId');
        $email = text_arg($a, 'email');
        $secret = text_arg($a, 'secret');
        if ($secret === '') { throw new RefError('EmptySecret', 'the portal secret is empty'); }
        return [
            'appId' => $appId,
            'connectionType' => 'messenger_auth',
            'connectionEmail' => $email,
            'connectionKey' => hash_hmac('sha256', $email, $secret),
        ];
    },
];
// The hmac_hex kinds: hash_hmac('sha256', $field, $secret), as the vendors' PHP snippets write it.
function hmac_key(array $a, array $p): string {
    $secret = text_arg($a, 'secret');
    if (($p['key'] ?? 'text') === 'text') { return $secret; }
    if (preg_match('/^(?:[0-9a-fA-F]{2})*$/D', $secret) !== 1) {
        throw new RefError('InvalidArgument', 'secret is not an even number of hex digits');
    }
    return hex2bin($secret);
}
function identity_field(array $a, array $p): string {
    if (array_key_exists($p['message'], $a)) { return $p['message']; }
    if (isset($p['fallback']) && array_key_exists($p['fallback'], $a)) { return $p['fallback']; }
    throw new RefError('MissingIdentity', 'no identity to MAC');
}
function user_hash(array $a, array $p): string {
    $key = hmac_key($a, $p);
    return hash_hmac('sha256', text_arg($a, identity_field($a, $p)), $key);
}
$kinds = [
    'hmac_hex.sign' => function (array $p, array $a) {
        $digest = user_hash($a, $p);
        return ($p['hexCase'] ?? 'lower') === 'upper' ? strtoupper($digest) : $digest;
    },
    'hmac_hex.verify' => function (array $p, array $a) {
        $expected = user_hash($a, $p);
        $presented = $p['presented'] ?? 'hash';
        $unsigned = ($p['unsigned'] ?? 'refuse') === 'accept';
        if (!array_key_exists($presented, $a)) { return $unsigned; }
        $given = text_arg($a, $presented);
        if ($unsigned && $given === '') { return true; }
        $accept = $p['accept'] ?? 'lower';
        if ($accept === 'either-case') { $given = strtolower($given); }
        if ($accept === 'upper') { $expected = strtoupper($expected); }
        return hash_equals($expected, $given);
    },
];
function send(array $message): void {
    fwrite(STDOUT, json_encode($message, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES) . "\n");
    fflush(STDOUT);
}
send(['hello' => [
    'name' => 'php',
    'ops' => array_keys($ops),
    'kinds' => array_keys($kinds),
    'versions' => [
        'php' => PHP_VERSION,
        'phpOs' => PHP_OS,
        'hash' => (string) phpversion('hash'),
        'json' => (string) phpversion('json'),
        'pcre' => PCRE_VERSION,
    ],
]]);
while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === '') { continue; }
    $request = json_decode($line, true, 64);
    if (!is_array($request) || !array_key_exists('id', $request)) { continue; }
    $id = $request['id'];
    $op = $request['op'] ?? null;
    $kind = $request['kind'] ?? null;
    try {
        if (is_string($kind) && array_key_exists($kind, $kinds)) {
            $args = $request['args'] ?? null;
            if (!is_array($args)) { throw new RefError('InvalidArgument', 'op arguments must be a JSON object'); }
            $params = is_array($request['params'] ?? null) ? $request['params'] : [];
            send(['id' => $id, 'ok' => $kinds[$kind]($params, $args)]);
            continue;
        }
        if (!is_string($op) || !array_key_exists($op, $ops)) {
            send(['id' => $id, 'error' => 'unsupported', 'message' => 'no such op']);
            continue;
        }
        $args = $request['args'] ?? null;
        if (!is_array($args)) { throw new RefError('InvalidArgument', 'op arguments must be a JSON object'); }
        send(['id' => $id, 'ok' => $ops[$op]($args)]);
    } catch (RefError $e) {
        send(['id' => $id, 'error' => ['reason' => $e->reason, 'message' => $e->getMessage()]]);
    } catch (Throwable $e) {
        send(['id' => $id, 'error' => ['reason' => 'PHP:' . get_class($e), 'message' => get_class($e)]]);
    }
}
"""

_lock = threading.Lock()
_state: dict[str, JsonLinesProcess] = {}


def php_binary() -> str | None:
    """The ``php`` to run: ``$HANDOFF_PHP``, else the first on ``PATH``."""
    return os.environ.get("HANDOFF_PHP") or shutil.which("php")


def process() -> JsonLinesProcess:
    """The one PHP process of this Python process, started on first use and closed at exit."""
    with _lock:
        proc = _state.get("process")
        if proc is None:
            argv = [php_binary() or "php", "-d", "display_errors=stderr", "-d", "error_reporting=-1", "-r", SCRIPT]
            proc = _state["process"] = JsonLinesProcess(argv, name="php")
            atexit.register(proc.close)
        return proc


def available() -> str | None:
    """``None`` when ``php`` runs here and offers every Thread op, else the reason it cannot."""
    if php_binary() is None:
        return "php is not installed (apt-get install php-cli)"
    outcome = process().call("thread.text_bytes", {"text": ""})
    if outcome.status != "value":
        return outcome.describe()
    missing = set(catalog.flow("thread_messenger").op_names) - process().ops()
    return f"the PHP script lacks {sorted(missing)}" if missing else None


def versions() -> dict[str, str]:
    """The exact versions behind the answers: PHP, and its hash, json and PCRE."""
    return {str(k): str(v) for k, v in process().start().get("versions", {}).items()}


def call_many(calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
    """Send a whole batch to PHP in one round trip; one :class:`Outcome` per call, in order."""
    return process().call_many([(op, wire_args(op, args)) for op, args in calls])
