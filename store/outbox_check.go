package store

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// OutboxCheck is what CheckOutbox found.
type OutboxCheck struct {
	State    OutboxState
	Events   int             // events read
	Sales    int             // sales read
	Problems []OutboxProblem // empty when the outbox agrees with the ledger
	Omitted  int             // problems beyond the first maxProblems
}

// OK reports whether the check found no problem.
func (c OutboxCheck) OK() bool { return len(c.Problems) == 0 }

func (c *OutboxCheck) problem(p OutboxProblem) {
	if len(c.Problems) == maxProblems {
		c.Omitted++
		return
	}
	c.Problems = append(c.Problems, p)
}

// OutboxKind says how the outbox does not tell the ledger's story.
type OutboxKind int

// The kinds of OutboxProblem.
const (
	OutboxMarkBeyond  OutboxKind = iota + 1 // head office's mark From is beyond the last event To
	OutboxSaleNoEvent                       // Sale has no event in the outbox
	OutboxSaleDiffers                       // Sale differs from its last event
	OutboxOrphan                            // the outbox has events of Sale, which the ledger lacks
	OutboxGap                               // events From to To are missing
	OutboxShort                             // the outbox ends at From, but To were issued
	outboxKinds                             // one past the last
)

// OutboxKinds are every kind of OutboxProblem, for tests of their words.
func OutboxKinds() []OutboxKind {
	var out []OutboxKind
	for k := OutboxMarkBeyond; k < outboxKinds; k++ {
		out = append(out, k)
	}
	return out
}

// OutboxProblem is one way the outbox does not tell the ledger's story.
type OutboxProblem struct {
	Kind     OutboxKind
	Sale     string // out_trade_no
	From, To uint64 // events
}

// String says the problem in English.
func (p OutboxProblem) String() string {
	switch p.Kind {
	case OutboxMarkBeyond:
		return fmt.Sprintf("head office's mark %d is beyond the last event %d", p.From, p.To)
	case OutboxSaleNoEvent:
		return fmt.Sprintf("sale %s has no event in the outbox", p.Sale)
	case OutboxSaleDiffers:
		return fmt.Sprintf("sale %s differs from its last event in the outbox", p.Sale)
	case OutboxOrphan:
		return fmt.Sprintf("the outbox has events of sale %s, which the ledger does not have", p.Sale)
	case OutboxGap:
		return fmt.Sprintf("outbox events %d to %d are missing", p.From, p.To)
	case OutboxShort:
		return fmt.Sprintf("the outbox ends at event %d, but %d were issued", p.From, p.To)
	}
	return fmt.Sprintf("outbox problem %d", p.Kind)
}

// CheckOutbox checks that the outbox tells the ledger's story: its events
// are numbered 1, 2, 3... up to the last one issued, head office's mark is
// not beyond it, and the last event of every sale is the sale as it stands.
// It reads in batches, so it works alongside a running kiosk; a sale
// changed while the check runs may be reported, and a second run settles
// it.
func (s *Store) CheckOutbox() (OutboxCheck, error) {
	var c OutboxCheck
	var err error
	if c.State, err = s.OutboxState(); err != nil {
		return c, err
	}
	if c.State.Acked > c.State.Head {
		c.problem(OutboxProblem{Kind: OutboxMarkBeyond, From: c.State.Acked, To: c.State.Head})
	}
	last, err := s.lastEventOfEachSale(&c)
	if err != nil {
		return c, err
	}
	if c.State.Head == 0 && c.State.LedgerID == "" {
		return c, nil // a ledger the kiosk has not written since it got its outbox
	}
	err = s.eachSale(func(no string, sale Sale) {
		c.Sales++
		d, ok := last[no]
		switch {
		case !ok:
			c.problem(OutboxProblem{Kind: OutboxSaleNoEvent, Sale: no})
		case d != digest(sale):
			c.problem(OutboxProblem{Kind: OutboxSaleDiffers, Sale: no})
		}
		delete(last, no)
	})
	for no := range last {
		c.problem(OutboxProblem{Kind: OutboxOrphan, Sale: no})
	}
	return c, err
}

// lastEventOfEachSale reads the whole outbox and returns, per sale, a
// digest of its last event's sale.
func (s *Store) lastEventOfEachSale(c *OutboxCheck) (map[string][32]byte, error) {
	last := map[string][32]byte{}
	var after uint64
	for {
		events, err := s.OutboxEvents(after, checkBatch)
		if err != nil {
			return nil, err
		}
		for _, ev := range events {
			c.Events++
			if ev.Seq != after+1 {
				c.problem(OutboxProblem{Kind: OutboxGap, From: after + 1, To: ev.Seq - 1})
			}
			after = ev.Seq
			if ev.Kind == EventSale && ev.Sale != nil {
				last[ev.Sale.OutTradeNo] = digest(*ev.Sale)
			}
		}
		if len(events) < checkBatch {
			break
		}
	}
	if after != c.State.Head {
		c.problem(OutboxProblem{Kind: OutboxShort, From: after, To: c.State.Head})
	}
	return last, nil
}

// eachSale calls fn for every sale in the ledger, reading checkBatch sales
// per transaction.
func (s *Store) eachSale(fn func(no string, sale Sale)) error {
	var from []byte
	for {
		var keys []string
		var sales []Sale
		err := s.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketSales)
			if b == nil {
				return nil
			}
			c := b.Cursor()
			k, v := c.First()
			if from != nil {
				if k, v = c.Seek(from); k != nil && string(k) == string(from) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(keys) < checkBatch; k, v = c.Next() {
				var sale Sale
				if err := json.Unmarshal(v, &sale); err != nil {
					return fmt.Errorf("decode sale %s: %w", k, err)
				}
				keys, sales = append(keys, string(k)), append(sales, sale)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read the sales: %w", err)
		}
		for i := range keys {
			fn(keys[i], sales[i])
		}
		if len(keys) < checkBatch {
			return nil
		}
		from = []byte(keys[len(keys)-1])
	}
}

// digest identifies a sale's stored form: the same instants in the same
// offsets and every other field equal.
func digest(sale Sale) [32]byte {
	v, _ := json.Marshal(sale) // a Sale always encodes
	return sha256.Sum256(v)
}
