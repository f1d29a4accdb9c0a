package steps

// The guide's order lives here, as data that every face reads: the wizard
// and plain mode walk the same steps, ask the same question and branch the
// same way. Adding a step is an entry in all (steps.go) and a route here,
// plus the face's screen for it.

// End is where the guide leads after its last step.
const End ID = -1

// Question is a yes/no question a step asks before the user goes on.
type Question struct {
	// Ask is the question the first time; AskAgain replaces it once the
	// user has sent the request-access email, with %s for how long ago.
	Ask, AskAgain string
	Yes, No       string // the answers, as offered
	// IfYes and IfNo are where each answer leads.
	IfYes, IfNo ID
}

// Route is where a step leads.
type Route struct {
	// Next is where "next" goes; End after the last step.
	Next ID
	// Question, when set, decides instead of Next.
	Question *Question
}

var routes = map[ID]Route{
	Prerequisites: {Question: &Question{
		Ask:      "Is API access already approved for your company?",
		AskAgain: "Has Lattice approved your API access request? You asked %s.",
		Yes:      "Yes, approved", No: "Not yet",
		IfYes: GenerateKey, IfNo: RequestAccess,
	}},
	RequestAccess: {Next: GenerateKey},
	GenerateKey:   {Next: SCIM},
	SCIM:          {Next: Connect},
	Connect:       {Next: End},
}

// Where the home screen's actions lead, for a profile with a stored key.
const (
	// RotateAt is the step that takes the replacement key.
	RotateAt = Connect
	// GuideStart is where walking the guide begins.
	GuideStart = Prerequisites
)

// RouteOf returns where step id leads.
func RouteOf(id ID) Route { return routes[id] }

// Next is the step after id when the user simply goes on; a step that asks
// a question goes on as if the answer were no, the safe default.
func Next(id ID) ID {
	r := routes[id]
	if r.Question != nil {
		return r.Question.IfNo
	}
	return r.Next
}
