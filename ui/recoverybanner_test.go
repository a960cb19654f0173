package ui

import (
	"testing"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestTheStartUpBannerListsOnlyWhatHappened: the banner about the sales
// left open by the last run lists the parts that are not none, as the
// retry's banner does, never "收款 0 笔".
func TestTheStartUpBannerListsOnlyWhatHappened(t *testing.T) {
	for _, tt := range []struct {
		w        *words.Words
		outcomes []pos.Outcome
		want     string
	}{
		{words.Chinese, []pos.Outcome{{Status: pos.StatusCancelled, OutTradeNo: "K1"}}, "已处理上次运行未完成的 1 笔交易：取消 1 笔。"},
		{words.English, []pos.Outcome{{Status: pos.StatusCancelled, OutTradeNo: "K1"}, {Status: pos.StatusCancelled, OutTradeNo: "K2"}},
			"Settled 2 sales left open by the last run: 2 cancelled."},
		{words.Chinese, []pos.Outcome{{Status: pos.StatusUnknown, OutTradeNo: "K1"}}, "已处理上次运行未完成的 1 笔交易：1 笔结果仍未确认，将在后台重试。"},
		{words.English, []pos.Outcome{{Status: pos.StatusRefunded, OutTradeNo: "K1"}, {Status: pos.StatusUnknown, OutTradeNo: "K2"}},
			"Settled 2 sales left open by the last run: 1 refunded, 1 still unknown, retried in the background."},
	} {
		m := Model{say: tt.w}
		if got := m.recoveryBanner(tt.outcomes, nil); got != tt.want {
			t.Errorf("%s: banner %q; want %q", tt.w.Lang.Tag, got, tt.want)
		}
	}
}
