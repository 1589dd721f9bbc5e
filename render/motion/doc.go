// Package motion is the pure math of motion: where a clip is, how big, how turned, how opaque and in what
// colors at a given time. It knows nothing of drawing; every answer is a pure function of (clip, time).
//
// A renderer uses it in three steps:
//
//  1. Base computes a clip's static Geometry from its transform and opacity. The caller fills in Width and
//     Height when Base leaves them 0 (the clip's intrinsic size: a text's measured box, an image's pixels…).
//  2. Compile checks and pre-parses a clip's keyframes, preset animations and entrance transition once,
//     reporting every problem with the path of the field at fault.
//  3. (*Compiled).Evaluate gives the clip's State at a time in seconds from the clip start: the base geometry
//     with keyframes, animations and the transition applied, plus the keyframed style values (Optional,
//     set only when something drives them) and the transition in progress.
//
// The order of application is fixed. Keyframes replace static values; then the move animation in effect sets
// the position; then the other animations multiply (opacity, scale) or add (slides, rotation); then the
// entrance transition applies its geometric part (fade, slide, push, zoom, spin). Transitions drawn with
// masks or filters (wipe, iris, blur, lightSweep) leave the geometry alone and are described by
// State.Transition; Outgoing and Adjoins cover the clip a transition replaces.
//
// Evaluate does not allocate (except State.Filters for a clip with filter animations) and a Compiled is
// immutable, so a renderer can evaluate every clip on every frame, from several goroutines.
package motion
