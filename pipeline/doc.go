// Package pipeline holds jixiao's domain types: what a self-evaluation report
// says (Report), the money it names (Amount), where each figure was read
// (Evidence), what the checks found (Finding), and the interfaces of the
// services around them (Store). It imports nothing of jixiao's own and no
// database, web or scheduling package; everything else depends on it.
package pipeline
