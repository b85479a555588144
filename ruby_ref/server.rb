# frozen_string_literal: true

# The Ruby reference for handoff-conformance: the vendors' own Ruby snippets (OpenSSL::HMAC, ruby-jwt) behind the JSON-lines protocol of
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
require 'jwt'

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

# --- hs256_jwt: the brand's JWT.encode and the vendor's documented check with ruby-jwt (conformance/kinds/jwt.py) --

# ruby-jwt reads the clock as Time.now; a call runs with the op's `now` pinned, as node pins Date.now.
module PinnedClock
  def now(*args, **kwargs)
    pinned = Thread.current[:handoff_now]
    pinned.nil? ? super : at(pinned)
  end
end
Time.singleton_class.prepend(PinnedClock)

def with_clock(now)
  Thread.current[:handoff_now] = now
  yield
ensure
  Thread.current[:handoff_now] = nil
end

def positive_seconds(args)
  now = args['now']
  raise RefError.new('InvalidArgument', 'now must be a positive whole number of seconds') unless now.is_a?(Integer) && now.positive?

  now
end

# The brand's JWT.encode(claims, secret, 'HS256', {alg: 'HS256', typ: 'JWT', kid:, ...header}): the header the
# vendors document, in the kind's order (ruby-jwt sets alg in place; without it, it would write alg last). The kind's
# iat rule (claims.iat, or now when absent or 0) is the brand's line before the call.
def hs256_sign(params, args)
  secret = text_arg(args, 'secret')
  now = positive_seconds(args)
  claims = args['claims']
  raise RefError.new('InvalidArgument', 'claims must be a JSON object') unless claims.is_a?(Hash)

  header = { 'alg' => 'HS256', 'typ' => 'JWT' }
  header['kid'] = text_arg(args, 'keyId') if params['kid'] == 'required'
  header.merge!(params['header'] || {})
  payload = claims.dup
  payload['iat'] = now if !payload.key?('iat') || payload['iat'] == 0 # rubocop:disable Style/NumericPredicate
  begin
    with_clock(now) { JWT.encode(payload, secret, 'HS256', header) }
  rescue JWT::InvalidPayload => e
    raise RefError.new('InvalidArgument', e.message)
  rescue JWT::DecodeError => e
    raise RefError.new(secret.empty? ? 'EmptyKey' : "Ruby:#{e.class}", e.message)
  end
end

def js_type?(value, type)
  case type
  when 'string' then value.is_a?(String)
  when 'boolean' then [true, false].include?(value)
  when 'integer' then value.is_a?(Integer) || (value.is_a?(Float) && value.finite? && value == value.floor)
  else value.is_a?(Numeric)
  end
end

# Step 1: ruby-jwt's unverified read (JWT.decode(token, nil, false)).
def unverified(token)
  payload, header = JWT.decode(token, nil, false)
  raise RefError.new('MalformedToken', 'the payload is not a JSON object') unless payload.is_a?(Hash)

  [payload, header.is_a?(Hash) ? header : {}]
rescue JWT::DecodeError
  raise RefError.new('MalformedToken', 'the token is not a JWT ruby-jwt can read')
end

# The kind's step 2: alg among the allowed, a signature, the required header fields.
def check_jws_header(params, token, header, allowed)
  alg = header['alg']
  raise RefError.new(alg == 'none' ? 'AlgNone' : 'AlgorithmNotAllowed', 'the algorithm is not allowed') unless allowed.include?(alg)
  raise RefError.new('UnsignedToken', 'the token has no signature') if token.split('.', -1)[2] == ''

  (params['header'] || {}).each do |name, value|
    raise RefError.new('InvalidHeader', "the header's #{name} is not the required value") unless header[name] == value
  end
end

# Steps 2-4: alg, a signature, the required header fields, the secret (by kid among the keys, or the one secret).
def hs256_secret(params, args, token, header)
  check_jws_header(params, token, header, ['HS256'])
  secret = if params['kid'] == 'required'
             raise RefError.new('MissingKid', 'the header has no kid') unless header.key?('kid')

             kid = header['kid']
             found = args['keys'].find { |key| kid.is_a?(String) && key['kid'] == kid }
             raise RefError.new('KidMismatch', "the header's kid names no key of the keyset") if found.nil?

             found['secret']
           else
             text_arg(args, 'secret')
           end
  raise RefError.new('EmptyKey', 'the secret must not be empty') if secret.nil? || secret.empty?

  secret
end

HS256_ERRORS = {
  JWT::VerificationError => 'BadSignature',
  JWT::ExpiredSignature => 'TokenExpired',
  JWT::ImmatureSignature => 'TokenNotYetValid',
  JWT::IncorrectAlgorithm => 'AlgorithmNotAllowed',
  JWT::DecodeError => 'MalformedToken'
}.freeze

# Step 5: ruby-jwt checks the signature, then exp (unless ignored) and nbf, its leeway 0, at the pinned clock.
def hs256_verified(params, token, secret, now)
  options = { algorithm: 'HS256', verify_expiration: params['exp'] != 'ignored', verify_not_before: true, leeway: 0 }
  with_clock(now) { JWT.decode(token, secret, true, options) }.first
rescue JWT::DecodeError => e
  reason = HS256_ERRORS.find { |error, _| e.is_a?(error) }&.last
  raise RefError.new(reason, 'ruby-jwt refused the token')
end

# Steps 5 (exp required) to 8: the iat window, each claim rule in order, the identity.
def hs256_claims(params, claims, now)
  raise RefError.new('MissingClaim', 'the token has no exp') if params['exp'] == 'required' && !claims.key?('exp')

  window = params['iatMaxAge']
  unless window.nil?
    raise RefError.new('MissingClaim', 'the token has no numeric iat') unless claims['iat'].is_a?(Numeric)
    raise RefError.new('TokenTooOld', "the token's iat is older than the allowed window") if now >= claims['iat'] + window
  end
  (params['claims'] || {}).each do |name, rule|
    unless claims.key?(name)
      raise RefError.new('MissingClaim', "the token has no #{name}") if rule['required']

      next
    end
    value = claims[name]
    raise RefError.new('ClaimType', "#{name} is not a #{rule['type']}") unless js_type?(value, rule['type'])
    raise RefError.new('ClaimValue', "#{name} does not hold its required value") if rule.key?('const') && value != rule['const']
    if rule.key?('maxLength') && value.length > rule['maxLength']
      raise RefError.new('ClaimTooLong', "#{name} is longer than #{rule['maxLength']} characters")
    end
  end
  identity = {}
  names = params['identity'] || []
  unless names.empty?
    name = names.find { |n| !claims[n].nil? }
    raise RefError.new('MissingClaim', 'the token names no identity') if name.nil?

    identity[name] = claims[name]
  end
  { claims: claims, identity: identity }
end

def hs256_verify(params, args)
  token = text_arg(args, 'token')
  now = positive_seconds(args)
  _payload, header = unverified(token)
  secret = hs256_secret(params, args, token, header)
  hs256_claims(params, hs256_verified(params, token, secret, now), now)
end

# --- asym_jws: the brand's JWT.encode with an RSA key, the check against a keyset of JWKs (conformance/kinds/jws.py) --

# The brand's JWT.encode(claims, OpenSSL::PKey::RSA.new(pem), alg, {alg, typ: 'JWT', kid:, ...header}).
def asym_sign(params, args)
  alg = args['alg']
  raise RefError.new('InvalidArgument', 'alg is not one of the allowed algorithms') unless params['algorithms'].include?(alg)

  pem = text_arg(args, 'privateKeyPem')
  now = positive_seconds(args)
  claims = args['claims']
  raise RefError.new('InvalidArgument', 'claims must be a JSON object') unless claims.is_a?(Hash)

  key = begin
    OpenSSL::PKey::RSA.new(pem)
  rescue OpenSSL::PKey::PKeyError
    raise RefError.new('InvalidKeyMaterial', 'the private key is not an RSA PEM key')
  end
  raise RefError.new('InvalidKeyMaterial', 'the key is not a private key') unless key.private?

  header = { 'alg' => alg, 'typ' => 'JWT' }
  header['kid'] = text_arg(args, 'keyId') if params['kid'] == 'required'
  header.merge!(params['header'] || {})
  payload = claims.dup
  payload['iat'] = now if !payload.key?('iat') || payload['iat'] == 0 # rubocop:disable Style/NumericPredicate
  begin
    with_clock(now) { JWT.encode(payload, key, alg, header) }
  rescue JWT::InvalidPayload => e
    raise RefError.new('InvalidArgument', e.message)
  end
end

# Step 4: the JWK as ruby-jwt imports it (JWT::JWK.import), and its x5c certificate as OpenSSL reads it.
def jwk_public_key(jwk)
  raise RefError.new('InvalidKeyMaterial', 'the JWK is not an RSA key (kty)') unless jwk['kty'] == 'RSA'

  JWT::JWK.import(jwk).public_key
rescue RefError
  raise
rescue StandardError
  raise RefError.new('InvalidKeyMaterial', 'ruby-jwt cannot import the JWK')
end

def certificate_holds?(jwk, key)
  chain = jwk['x5c']
  unless chain.is_a?(Array) && chain.first.is_a?(String)
    raise RefError.new('InvalidKeyMaterial', "the JWK's x5c is not a list of certificates")
  end

  held = begin
    OpenSSL::X509::Certificate.new(chain.first.unpack1('m0')).public_key
  rescue ArgumentError, OpenSSL::X509::CertificateError
    raise RefError.new('InvalidKeyMaterial', "the JWK's x5c[0] is not a base64 DER certificate")
  end
  held.is_a?(OpenSSL::PKey::RSA) && held.n == key.n && held.e == key.e
end

def find_jwk(params, args, header)
  raise RefError.new('MissingKid', 'the header has no kid') unless header.key?('kid')

  kid = header['kid']
  keys = args['jwks'].is_a?(Hash) && args['jwks']['keys'].is_a?(Array) ? args['jwks']['keys'] : []
  jwk = keys.find { |k| k.is_a?(Hash) && kid.is_a?(String) && k['kid'] == kid }
  raise RefError.new('KidMismatch', "the header's kid names no key of the keyset") if jwk.nil?

  missing = params['jwkFields'].reject { |name| jwk.key?(name) }
  raise RefError.new('InvalidJwk', "the JWK lacks #{missing.join(', ')}") unless missing.empty?
  raise RefError.new('KeyAlgorithmMismatch', 'the JWK is for another algorithm') if jwk.key?('alg') && jwk['alg'] != header['alg']

  jwk
end

# Step 5: ruby-jwt checks the signature, exp, nbf and (issuer: argument) iss at the pinned clock.
def asym_verified(params, args, token, key, now)
  options = { algorithm: params['algorithms'], verify_expiration: params['exp'] != 'ignored', verify_not_before: true,
              leeway: 0 }
  options.merge!(iss: args['issuer'], verify_iss: true) if params['issuer'] == 'argument'
  with_clock(now) { JWT.decode(token, key, true, options) }.first
rescue JWT::InvalidIssuerError
  present = JWT.decode(token, nil, false).first.key?('iss')
  raise RefError.new(present ? 'IssuerMismatch' : 'MissingClaim', "the token's iss is not the keyset's issuer")
rescue JWT::DecodeError => e
  reason = HS256_ERRORS.find { |error, _| e.is_a?(error) }&.last
  raise RefError.new(reason, 'ruby-jwt refused the token')
end

def asym_verify(params, args)
  token = text_arg(args, 'token')
  now = positive_seconds(args)
  _payload, header = unverified(token)
  check_jws_header(params, token, header, params['algorithms'])
  jwk = find_jwk(params, args, header)
  key = jwk_public_key(jwk)
  if params['x5c'] == 'match' && !certificate_holds?(jwk, key)
    raise RefError.new('CertificateMismatch', "the JWK's x5c certificate holds another key")
  end

  hs256_claims(params.merge('iatMaxAge' => nil), asym_verified(params, args, token, key, now), now)
end

KINDS = {
  'hmac_hex.sign' => method(:hmac_hex_sign),
  'hmac_hex.verify' => method(:hmac_hex_verify),
  'hs256_jwt.sign' => method(:hs256_sign),
  'hs256_jwt.verify' => method(:hs256_verify),
  'asym_jws.sign' => method(:asym_sign),
  'asym_jws.verify' => method(:asym_verify)
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
              json: JSON::VERSION,
              'ruby-jwt': JWT::VERSION::STRING
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
