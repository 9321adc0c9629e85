package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// A default lease owner is "HOST-PID-RANDOM". When the process named by a
// lease on this host no longer runs (it crashed or was killed), its items
// need not sit out the rest of the lease: reclaimDead hands them back at
// once, marked Uncertain because the dead process may have written
// without recording.

// ownerProcess returns the pid in a default owner name of this host, or in
// a "HOST-PID" name (what the tray app sets); ok is false for another
// host's owner or a name of another form.
func ownerProcess(owner string) (pid int, ok bool) {
	me, err := os.Hostname()
	if err != nil || me == "" {
		me = "host"
	}
	if rest, found := strings.CutPrefix(owner, me+"-"); found {
		if pid, err := strconv.Atoi(rest); err == nil && pid > 0 {
			return pid, true
		}
	}
	i := strings.LastIndexByte(owner, '-')
	if i <= 0 {
		return 0, false
	}
	rest := owner[:i]
	j := strings.LastIndexByte(rest, '-')
	if j <= 0 {
		return 0, false
	}
	host, pidS := rest[:j], rest[j+1:]
	pid, err = strconv.Atoi(pidS)
	if err != nil || pid <= 0 {
		return 0, false
	}
	if host != me {
		return 0, false
	}
	return pid, true
}

// reclaimDead makes the items leased by dead processes of this host
// pending again, due now and Uncertain. It returns how many it reclaimed.
func (o *Outbox) reclaimDead(ctx context.Context, self string) (int, error) {
	rows, err := o.db.QueryContext(ctx,
		`SELECT DISTINCT owner FROM items WHERE state = 'delivering' AND lease_until >= ?`, sqlitefile.MS(o.now()))
	if err != nil {
		return 0, fmt.Errorf("find outbox leases: %w", err)
	}
	var dead []string
	for rows.Next() {
		var owner string
		if err := rows.Scan(&owner); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find outbox leases: %w", err)
		}
		if owner == self {
			continue
		}
		if pid, ok := ownerProcess(owner); ok && pid != os.Getpid() && !processAlive(pid) {
			dead = append(dead, owner)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find outbox leases: %w", err)
	}
	n := 0
	for _, owner := range dead {
		err := o.inTx(ctx, func(tx *sql.Tx) error {
			now := sqlitefile.MS(o.now())
			r, err := tx.QueryContext(ctx, `
UPDATE items SET state = 'pending', owner = '', lease_until = 0, uncertain = 1,
  next_attempt_at = ?, updated_at = ?
WHERE state = 'delivering' AND owner = ?
RETURNING id, attempts`, now, now, owner)
			if err != nil {
				return err
			}
			type hit struct {
				id       int64
				attempts int
			}
			var hits []hit
			for r.Next() {
				var h hit
				if err := r.Scan(&h.id, &h.attempts); err != nil {
					r.Close()
					return err
				}
				hits = append(hits, h)
			}
			r.Close()
			if err := r.Err(); err != nil {
				return err
			}
			for _, h := range hits {
				if err := addEventTx(ctx, tx, h.id, now, "retry", owner, h.attempts, "lease holder process gone"); err != nil {
					return err
				}
			}
			n += len(hits)
			return nil
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			return n, fmt.Errorf("reclaim outbox items: %w", err)
		}
	}
	if n > 0 {
		o.log.Info("outbox items reclaimed from a process that is gone", "items", n)
	}
	return n, nil
}
