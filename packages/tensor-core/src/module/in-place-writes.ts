/**
 * A process-wide count of writes into a parameter's storage that keep its data
 * id (in-place updates). `Variable.assign` gives a parameter a new data id; an
 * in-place write does not, so a copy of the weights kept elsewhere (the ONNX
 * session of a BERT encoder) compares both the data ids and this count with
 * what they were when it was made.
 */
let writes = 0;

/** Called after changing a parameter's values in place (the fused AdamW update on cpu). */
export function noteInPlaceParameterWrite(): void {
  writes++;
}

/** How many in-place parameter writes this process has made. */
export function inPlaceParameterWrites(): number {
  return writes;
}
