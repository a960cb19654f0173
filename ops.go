package main

// The operator's commands: kiosk log, kiosk keys gen and kiosk doctor, and
// what the counter tells its log of itself at start.

// gatewayName says in the log which gateway the counter talks to.
func (p counterPlan) gatewayName() string {
	if p.client == nil {
		return "embedded emulator"
	}
	return p.client.Gateway
}
