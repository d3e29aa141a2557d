package main

// closest is the candidate nearest to word, within two edits (or a third
// of its length, whichever is more), for a "did you mean"; "" if none is.
// Ties go to the first candidate.
func closest(word string, candidates []string) string {
	best, bestD := "", max(2, len([]rune(word))/3)+1
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// didYouMean is " (did you mean <prefix><nearest>?)" for the candidate
// closest to word, or "" when none is close.
func didYouMean(word string, candidates []string, prefix string) string {
	if near := closest(word, candidates); near != "" {
		return " (did you mean " + prefix + near + "?)"
	}
	return ""
}
