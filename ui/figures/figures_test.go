package figures

import (
	"strings"
	"testing"
)

// TestTableLaysOutColumnsByDisplayWidth: columns two cells apart, as wide
// as their widest cell in display width, figures on the right, no white
// space at the end of a line.
func TestTableLaysOutColumnsByDisplayWidth(t *testing.T) {
	got := Table{Rows: [][]string{
		{"STORE", "SALES", "PAID"},
		{"旗舰店", "12", "¥42.34"},
		{"S2", "3", ""},
	}, Right: []int{1, 2}}.String()
	want := "STORE   SALES    PAID\n" +
		"旗舰店     12  ¥42.34\n" +
		"S2          3\n"
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", strings.ReplaceAll(got, " ", "·"), strings.ReplaceAll(want, " ", "·"))
	}
	if (Table{}).String() != "" || len((Table{Gap: 4, Rows: [][]string{{"a", "b"}}}).Lines()) != 1 ||
		(Table{Gap: 4, Rows: [][]string{{"a", "b"}}}).Lines()[0] != "a    b" {
		t.Error("an empty table, or a wider gap, is not laid out as it should be")
	}
}
