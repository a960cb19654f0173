package cli

import (
	"encoding/csv"
	"fmt"
	"io"

	"kiosk/pos"
)

// WriteChain writes days whose sales may come from many terminals and
// stores, in format "table" or "csv" as WriteRange does (with a store_id
// column last in CSV), or "json" as `kiosk ledger --format json` does: one
// day as {"date","sales","totals"}, several as {"from","to","days",
// "totals"}, and each sale with its store_id beside its terminal_id.
func WriteChain(w io.Writer, days []pos.Day, format string, opts ExportOptions) error {
	switch format {
	case "json":
		if len(days) == 1 {
			return writeJSON(w, chainDayOut(days[0]))
		}
		out := chainRangeJSON{Days: make([]chainDayJSON, 0, len(days)), Totals: totalsOut(sumTotals(days))}
		if len(days) > 0 {
			out.From, out.To = days[0].Date, days[len(days)-1].Date
		}
		for _, d := range days {
			out.Days = append(out.Days, chainDayOut(d))
		}
		return writeJSON(w, out)
	case "csv":
		if opts.BOM {
			if _, err := io.WriteString(w, bom); err != nil {
				return err
			}
		}
		return writeChainCSV(w, days)
	}
	return WriteRange(w, days, format, opts)
}

type chainSaleJSON struct {
	saleJSON
	StoreID string `json:"store_id"`
}

type chainDayJSON struct {
	Date   string          `json:"date"`
	Sales  []chainSaleJSON `json:"sales"`
	Totals totalsJSON      `json:"totals"`
}

type chainRangeJSON struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Days   []chainDayJSON `json:"days"`
	Totals totalsJSON     `json:"totals"`
}

func chainDayOut(d pos.Day) chainDayJSON {
	out := chainDayJSON{Date: d.Date, Sales: make([]chainSaleJSON, 0, len(d.Sales)), Totals: totalsOut(d.Totals)}
	for _, sale := range d.Sales {
		out.Sales = append(out.Sales, chainSaleJSON{saleJSON: saleOut(sale), StoreID: sale.StoreID})
	}
	return out
}

func writeChainCSV(w io.Writer, days []pos.Day) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append(csvHeader(), say.CLI.CSV.StoreID, say.CLI.CSV.Method)) // errors stick and are reported by Error
	for _, d := range days {
		for _, sale := range d.Sales {
			_ = cw.Write(append(csvRow(sale), sale.StoreID, csvMethod(sale)))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}
