"""Lua scripts of the Redis conversation store: each runs atomically on the Redis server, so a turn
(question and answer together) is stored whole, whichever replica sends it.

Keys of client C under prefix P: ``P{C}:convs`` (hash: conversation id -> JSON
``{title, created, updated, count}``), ``P{C}:current`` (the current conversation id),
``P{C}:m:<conversation id>`` (list of message JSON, oldest first) and ``Plive`` (sorted set of
``C/<conversation id>`` by last update, for counting). A conversation whose ``updated`` is older
than the cutoff is treated as gone. ``NOTFOUND`` errors mean an unknown conversation id.
"""

from __future__ import annotations

COMMON = """
local convs, cur, live = KEYS[1], KEYS[2], KEYS[3]
local client, mprefix = ARGV[1], ARGV[2]
local now, cutoff, idle = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local function meta_of(id)
  if id == nil or id == false or id == '' then return nil end
  local raw = redis.call('HGET', convs, id)
  if not raw then return nil end
  local m = cjson.decode(raw)
  if m.updated < cutoff then return nil end
  return m
end
local function drop(id)
  redis.call('HDEL', convs, id)
  redis.call('DEL', mprefix .. id)
  redis.call('ZREM', live, client .. '/' .. id)
end
local function newest_other(except)
  local best, best_at = false, -1
  local all = redis.call('HGETALL', convs)
  for i = 1, #all, 2 do
    local m = cjson.decode(all[i + 1])
    if all[i] ~= except and m.updated >= cutoff and m.updated > best_at then best, best_at = all[i], m.updated end
  end
  return best
end
local function touch()
  redis.call('EXPIRE', convs, idle)
  redis.call('EXPIRE', cur, idle)
end
local function create(id, title, maxc)
  redis.call('HSET', convs, id, cjson.encode({title = title, created = now, updated = now, count = 0}))
  redis.call('SET', cur, id)
  redis.call('ZADD', live, now, client .. '/' .. id)
  local all = redis.call('HGETALL', convs)
  local rows = {}
  for i = 1, #all, 2 do
    local m = cjson.decode(all[i + 1])
    table.insert(rows, {all[i], m.updated, m.created})
  end
  table.sort(rows, function(a, b) if a[2] == b[2] then return a[3] > b[3] end return a[2] > b[2] end)
  for i = maxc + 1, #rows do drop(rows[i][1]) end
  touch()
end
"""

# ARGV[6..]: conversation id or '', new id, title if new, messages (JSON array of JSON strings),
# messages to drop first, max messages, max conversations
APPEND = (
    COMMON
    + """
local conv, new_id, title = ARGV[6], ARGV[7], ARGV[8]
local messages = cjson.decode(ARGV[9])
local replace, maxm, maxc = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
local target = conv
if conv == '' then
  local current = redis.call('GET', cur)
  if meta_of(current) then target = current end
elseif not meta_of(conv) then
  return redis.error_reply('NOTFOUND')
end
if target == '' then
  target = new_id
  create(target, title, maxc)
end
local key = mprefix .. target
for _ = 1, replace do redis.call('RPOP', key) end
for _, m in ipairs(messages) do redis.call('RPUSH', key, m) end
redis.call('LTRIM', key, -maxm, -1)
redis.call('EXPIRE', key, idle)
local meta = meta_of(target)
meta.updated = now
meta.count = redis.call('LLEN', key)
if meta.title == '' then meta.title = title end
redis.call('HSET', convs, target, cjson.encode(meta))
redis.call('ZADD', live, now, client .. '/' .. target)
touch()
return target
"""
)

# ARGV[6..]: new id, title, max conversations
CREATE = (
    COMMON
    + """
create(ARGV[6], ARGV[7], tonumber(ARGV[8]))
return ARGV[6]
"""
)

# ARGV[6..]: conversation id, 'select' | 'rename', title
UPDATE = (
    COMMON
    + """
local conv, action, title = ARGV[6], ARGV[7], ARGV[8]
local meta = meta_of(conv)
if not meta then return redis.error_reply('NOTFOUND') end
if action == 'rename' then
  meta.title = title
  redis.call('HSET', convs, conv, cjson.encode(meta))
else
  redis.call('SET', cur, conv)
end
touch()
return conv
"""
)

# ARGV[6]: conversation id or '' (the current one). Returns 1 when one was deleted.
DELETE = (
    COMMON
    + """
local current = redis.call('GET', cur)
if not meta_of(current) then current = false end
local target = ARGV[6]
if target == '' then target = current end
if not target or not meta_of(target) then return 0 end
drop(target)
if target == current then
  local other = newest_other(target)
  if other then redis.call('SET', cur, other) else redis.call('DEL', cur) end
end
return 1
"""
)

# KEYS[1]: the lock; ARGV: token, milliseconds. Extends the lease only for the holder.
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

# KEYS[1]: the lock; ARGV[1]: token. Releases it only for the holder.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
