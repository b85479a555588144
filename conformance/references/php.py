"""The Thread ops answered by PHP itself: ``hash_hmac``/``hash_equals`` in one ``php -r`` process per test run.

The PHP script below speaks the JSON-lines protocol of :mod:`conformance.references.jsonlines`. Text never crosses
as a JSON string: JSON cannot tell a surrogate pair from a lone high surrogate followed by a lone low one, so each
``str`` argument is sent as the hex of its UTF-8 bytes, lone surrogates written as their 3-byte forms
(``surrogatepass``). PHP receives exactly those bytes and checks them with PCRE's UTF-8 validator
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
from functools import cache
from typing import Any

from conformance import catalog
from conformance.errors import InvalidArgument
from conformance.outcome import Outcome
from conformance.references.jsonlines import JsonLinesProcess

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
function send(array $message): void {
    fwrite(STDOUT, json_encode($message, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES) . "\n");
    fflush(STDOUT);
}
send(['hello' => [
    'name' => 'php',
    'ops' => array_keys($ops),
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
    try {
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


@cache
def text_args(op: str) -> frozenset[str]:
    """The arguments of ``op`` that are text (``"type": "string"`` without a pattern), from its schema."""
    schema = catalog.op_schema(op)
    return frozenset(
        name
        for name, sub in schema.get("properties", {}).items()
        if sub.get("type") == "string" and "pattern" not in sub and "$ref" not in sub
    )


def versions() -> dict[str, str]:
    """The exact versions behind the answers: PHP, and its hash, json and PCRE."""
    return {str(k): str(v) for k, v in process().start().get("versions", {}).items()}


def _wire_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").hex()
    if value is None or isinstance(value, (bool, int, float, list, dict)):
        return value
    return {"pythonType": type(value).__name__}  # not a string: PHP answers InvalidArgument


def wire_args(op: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """``args`` as the PHP script takes them: every text argument as the hex of its (WTF-8) bytes."""
    if not isinstance(args, Mapping):
        raise InvalidArgument("op arguments must be a JSON object")
    text = text_args(op)
    return {name: _wire_value(value) if name in text else value for name, value in args.items()}


def call_many(calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
    """Send a whole batch to PHP in one round trip; one :class:`Outcome` per call, in order."""
    return process().call_many([(op, wire_args(op, args)) for op, args in calls])
