package actions

import (
	"context"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/sdk"
)

// MenuText lists the pizzas PizzaBot bakes, for messages.
const MenuText = "margherita, pepperoni, funghi or veggie"

// MaxPizzas is the most pizzas one order may hold.
const MaxPizzas = 10

// PizzaForm returns validate_pizza_form: a validate function for each
// required slot of pizza_form, and an extract function that reads the
// count from the text (pizza_count has a custom mapping, so no NLU
// entity fills it).
func PizzaForm() *sdk.FormValidation {
	return &sdk.FormValidation{
		Form: "pizza_form",
		Validate: map[string]sdk.ValidateFunc{
			"pizza_type":  validateType,
			"pizza_size":  validateSize,
			"pizza_count": validateCount,
		},
		Extract: map[string]sdk.ExtractFunc{"pizza_count": extractCount},
	}
}

// onMenu reports whether PizzaBot bakes the pizza.
func onMenu(pizza string) bool {
	switch pizza {
	case "margherita", "pepperoni", "funghi", "veggie":
		return true
	}
	return false
}

// validateType keeps a pizza of the menu (lower-cased) and explains the
// menu otherwise.
func validateType(_ context.Context, value any, d *sdk.Dispatcher, _ *sdk.Tracker,
	_ sdk.Domain) (any, error) {
	pizza, _ := value.(string)
	pizza = strings.ToLower(strings.TrimSpace(pizza))
	if onMenu(pizza) {
		return pizza, nil
	}
	d.UtterText("Sorry, we don't bake " + strconv.Quote(pizza) + ". Pick " + MenuText + ".")
	return nil, nil
}

// validateSize keeps small, medium or large ("big" is large).
func validateSize(_ context.Context, value any, d *sdk.Dispatcher, _ *sdk.Tracker,
	_ sdk.Domain) (any, error) {
	size, _ := value.(string)
	switch size = strings.ToLower(strings.TrimSpace(size)); size {
	case "small", "medium", "large":
		return size, nil
	case "big":
		return "large", nil
	}
	d.UtterText("We have small, medium and large pizzas.")
	return nil, nil
}

// validateCount keeps 1 to MaxPizzas.
func validateCount(_ context.Context, value any, d *sdk.Dispatcher, _ *sdk.Tracker,
	_ sdk.Domain) (any, error) {
	n, ok := value.(float64)
	if ok && n >= 1 && n <= MaxPizzas && n == float64(int(n)) {
		return n, nil
	}
	d.UtterText("We bake 1 to " + strconv.Itoa(MaxPizzas) + " pizzas per order.")
	return nil, nil
}

// extractCount reads the count from the latest message: digits anywhere,
// number words only when the form asked for the count (so that "a funghi
// one" names no count).
func extractCount(_ context.Context, _ *sdk.Dispatcher, t *sdk.Tracker,
	_ sdk.Domain) (any, error) {
	asked := t.RequestedSlot() == "pizza_count"
	for _, word := range strings.FieldsFunc(strings.ToLower(t.LatestMessage().Text), notAlnum) {
		if n, err := strconv.Atoi(word); err == nil {
			return float64(n), nil
		}
		if n, ok := numberWords[word]; ok && asked {
			return float64(n), nil
		}
	}
	return nil, nil
}

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}

// numberWords are the counts written as words.
var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
