package pos

import "testing"

type fakeHeadOffice struct {
	toSend int
	behind bool
}

func (f *fakeHeadOffice) Backlog() (int, bool) { return f.toSend, f.behind }

func TestHeadOfficeStatus(t *testing.T) {
	r, err := New(Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.HeadOffice(); got != (HeadOfficeStatus{}) {
		t.Errorf("without head office: %+v", got)
	}
	h := &fakeHeadOffice{toSend: 12, behind: true}
	r, err = New(Config{}, nil, nil, WithHeadOffice(h))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.HeadOffice(); got != (HeadOfficeStatus{Enabled: true, ToSend: 12, Behind: true}) {
		t.Errorf("behind: %+v", got)
	}
	h.toSend, h.behind = 0, false
	if got := r.HeadOffice(); got != (HeadOfficeStatus{Enabled: true}) {
		t.Errorf("caught up: %+v", got)
	}
}
