package org.recsysrl.serve;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side sessions: per session id, the item ids of its events, oldest first. Bounded three
 * ways: at most {@code maxSessions} sessions (the least recently used is evicted), at most
 * {@code maxEvents} events per session (the oldest are dropped), and a session untouched for
 * {@code ttlMillis} expires. Thread-safe (one lock; every operation is short).
 */
final class SessionStore {
    private final int maxSessions;
    private final int maxEvents;
    private final long ttlMillis;
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private long evicted;

    private static final class Session {
        final ArrayList<String> items = new ArrayList<>();
        long touched;
    }

    SessionStore(int maxSessions, int maxEvents, long ttlMillis) {
        if (maxSessions < 1 || maxEvents < 1 || ttlMillis < 1) {
            throw new IllegalArgumentException("session bounds must be positive");
        }
        this.maxSessions = maxSessions;
        this.maxEvents = maxEvents;
        this.ttlMillis = ttlMillis;
    }

    /** Appends {@code items} to session {@code id} (created if new); returns its length afterwards. */
    synchronized int append(String id, List<String> items, long now) {
        expire(now);
        Session s = sessions.get(id);
        if (s == null) {
            s = new Session();
            sessions.put(id, s);
            if (sessions.size() > maxSessions) {
                Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator();
                it.next();
                it.remove();
                evicted++;
            }
        }
        s.items.addAll(items);
        int over = s.items.size() - maxEvents;
        if (over > 0) {
            s.items.subList(0, over).clear();
        }
        s.touched = now;
        return s.items.size();
    }

    /** A copy of session {@code id}'s items, or null if there is no such (live) session. */
    synchronized List<String> items(String id, long now) {
        expire(now);
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        s.touched = now;
        return List.copyOf(s.items);
    }

    /** Deletes session {@code id}; false if there was no such (live) session. */
    synchronized boolean remove(String id, long now) {
        expire(now);
        return sessions.remove(id) != null;
    }

    /** Number of live sessions. */
    synchronized int size() {
        return sessions.size();
    }

    /** Sessions evicted for room or age so far. */
    synchronized long evicted() {
        return evicted;
    }

    /** Drops sessions untouched for longer than the time to live (they are the eldest in access order). */
    private void expire(long now) {
        Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator();
        while (it.hasNext()) {
            Session s = it.next().getValue();
            if (now - s.touched <= ttlMillis) {
                break;
            }
            it.remove();
            evicted++;
        }
    }
}
