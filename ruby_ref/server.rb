# frozen_string_literal: true

# The Ruby reference for handoff-conformance: the vendors' own Ruby snippets behind the JSON-lines protocol of
# conformance/jsonlines.py. A hello line, then {"id","op","kind","params","args"} ->
# {"id","ok"} | {"id","error":{"reason","message"}}. End of stdin means exit. Messages never hold argument values.
#
# Text crosses as hex: every string argument arrives as the hex of its UTF-8 bytes (a lone surrogate as its 3-byte
# WTF-8 form, which is not UTF-8 and answers UnencodableText), so no JSON parser decides how text is spelled.
#
# Two tables:
#   KINDS: an op kind implemented once for every catalog op of that kind, called with the op's params (the hello
#          lists them under "kinds");
#   OPS:   handlers for single op names (the hello lists them under "ops").
require 'json'
require 'openssl'

STDOUT.sync = true

# A refusal with a reason from the project's error vocabulary (conformance/errors.py).
class RefError < StandardError
  attr_reader :reason

  def initialize(reason, message)
    super(message)
    @reason = reason
  end
end

# --- argument helpers --------------------------------------------------------------------------------------------

def raw_arg(args, name)
  raise RefError.new('InvalidArgument', "missing argument #{name}") unless args.key?(name)

  value = args[name]
  raise RefError.new('NullArgument', "#{name} must not be null") if value.nil?
  raise RefError.new('InvalidArgument', "#{name} must be a string") unless value.is_a?(String)
  raise RefError.new('InvalidArgument', "#{name} is not hex") unless value.match?(/\A(?:[0-9a-fA-F]{2})*\z/)

  [value].pack('H*')
end

# A text argument: its UTF-8 bytes, refused when they are not UTF-8 (only a lone surrogate makes such bytes).
def text_arg(args, name)
  bytes = raw_arg(args, name).force_encoding(Encoding::UTF_8)
  raise RefError.new('UnencodableText', "#{name} has no UTF-8 encoding (a lone surrogate)") unless bytes.valid_encoding?

  bytes
end

# --- hmac_hex: OpenSSL::HMAC.hexdigest('sha256', secret, field), as every vendor's Ruby snippet writes it ----------

def hmac_key(args, params)
  secret = text_arg(args, 'secret')
  return secret if params['key'].nil? || params['key'] == 'text'
  raise RefError.new('InvalidArgument', 'secret is not an even number of hex digits') unless secret.match?(/\A(?:[0-9a-fA-F]{2})*\z/)

  [secret].pack('H*')
end

def identity_field(args, params)
  return params['message'] if args.key?(params['message'])
  return params['fallback'] if params['fallback'] && args.key?(params['fallback'])

  raise RefError.new('MissingIdentity', 'no identity to MAC')
end

def user_hash(args, params)
  key = hmac_key(args, params)
  message = text_arg(args, identity_field(args, params))
  OpenSSL::HMAC.hexdigest('sha256', key, message)
end

def hmac_hex_sign(params, args)
  digest = user_hash(args, params)
  params['hexCase'] == 'upper' ? digest.upcase : digest
end

def hmac_hex_verify(params, args)
  expected = user_hash(args, params)
  presented = params['presented'] || 'hash'
  unsigned = params['unsigned'] == 'accept'
  return unsigned unless args.key?(presented)

  given = text_arg(args, presented)
  return true if unsigned && given.empty?

  given = given.b.downcase(:ascii) if params['accept'] == 'either-case'
  expected = expected.upcase if params['accept'] == 'upper'
  OpenSSL.secure_compare(expected, given.b)
end

KINDS = {
  'hmac_hex.sign' => method(:hmac_hex_sign),
  'hmac_hex.verify' => method(:hmac_hex_verify)
}.freeze

OPS = {}.freeze

# --- the protocol ------------------------------------------------------------------------------------------------

def send_line(message)
  STDOUT.write("#{JSON.generate(message)}\n")
end

def answer(request)
  kind = request['kind']
  handler = KINDS[kind] if kind.is_a?(String)
  args = request['args']
  raise RefError.new('InvalidArgument', 'op arguments must be a JSON object') if handler && !args.is_a?(Hash)
  return handler.call(request['params'].is_a?(Hash) ? request['params'] : {}, args) if handler

  op = OPS[request['op']]
  return :unsupported if op.nil?
  raise RefError.new('InvalidArgument', 'op arguments must be a JSON object') unless args.is_a?(Hash)

  op.call(args)
end

send_line(hello: {
            name: 'ruby',
            ops: OPS.keys,
            kinds: KINDS.keys,
            versions: {
              ruby: RUBY_VERSION,
              rubyPlatform: RUBY_PLATFORM,
              openssl: OpenSSL::VERSION,
              opensslLibrary: OpenSSL::OPENSSL_LIBRARY_VERSION,
              json: JSON::VERSION
            }
          })

STDIN.each_line do |line|
  next if line.strip.empty?

  begin
    request = JSON.parse(line)
  rescue JSON::ParserError
    send_line(id: nil, error: { reason: 'ReferenceIO', message: 'request is not JSON' })
    next
  end
  next unless request.is_a?(Hash) && request.key?('id')

  id = request['id']
  begin
    value = answer(request)
    if value == :unsupported
      send_line(id: id, error: 'unsupported', message: 'no such op or kind in the Ruby reference')
    else
      send_line(id: id, ok: value)
    end
  rescue RefError => e
    send_line(id: id, error: { reason: e.reason, message: e.message })
  rescue StandardError => e
    send_line(id: id, error: { reason: "Ruby:#{e.class}", message: e.class.name })
  end
end
