package schemas

import (
	"sort"

	"github.com/invopop/jsonschema"
	orderedmap "github.com/pb33f/ordered-map/v2"
)

type orderedProps = orderedmap.OrderedMap[string, *jsonschema.Schema]

func newProps() *orderedProps { return orderedmap.New[string, *jsonschema.Schema]() }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
