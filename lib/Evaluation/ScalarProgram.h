//===- ScalarProgram.h - Float64 interpreter of scalar code -----*- C++ -*-===//
//
// Declares ScalarProgram, the scalar part of the float64 interpreter: arith
// and math ops on integers, index and floats compiled into straight-line
// instructions over numbered slots. It runs the score_mod region of
// attn.sdpa, the body of a linalg op at each point of its iteration space,
// and the scalar ops at function level, one op at a time. Internal to
// AttnRuntime.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_EVALUATION_SCALARPROGRAM_H
#define ATTN_LIB_EVALUATION_SCALARPROGRAM_H

#include "mlir/IR/Block.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/FloatingPointMode.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::attn::runtime {

/// Formats `loc` as "file:line:col" when it holds a file location, else as
/// MLIR prints it.
std::string formatLocation(Location loc);

/// Returns "LOC: 'op.name' MESSAGE".
std::string formatOpMessage(Operation *op, const Twine &message);

/// Prints `type` as MLIR does.
std::string formatType(Type type);

/// Converts `value` to double, exactly for every format narrower than f64.
double toDouble(llvm::APFloat value);

/// Whether the scalar interpreter can hold a value of `type`: integers of at
/// most 64 bits, index, and floats of at most 64 bits.
bool isSupportedScalarType(Type type);

/// A value of the scalar interpreter. Integers, index and i1 are kept in
/// `i`, sign-extended from their bit width (so i1 true is -1, as in arith);
/// floats are kept in `f` as double.
struct Scalar {
  double f = 0.0;
  int64_t i = 0;
};

/// The operations a compiled program executes.
enum class ScalarOpcode : uint8_t;

/// One instruction: reads the slots in `operands` and writes `result`.
struct ScalarInst;

/// Scalar ops compiled to straight-line code over numbered slots. A block
/// compiles with its arguments in slots 0..N-1, each op result in the next
/// slot and constants written once at compile time; values defined outside
/// the block are captures, which the caller writes before running.
class ScalarProgram {
public:
  /// An empty program. `context` says where its ops are, for messages ("in
  /// the score_mod of 'attn.sdpa' at LOC"; may be empty); `indexNames` names
  /// the indices given to run, for messages and for linalg.index.
  ScalarProgram(std::string context, std::vector<std::string> indexNames);
  ~ScalarProgram();
  ScalarProgram(ScalarProgram &&) noexcept;
  ScalarProgram &operator=(ScalarProgram &&) noexcept;

  /// Compiles `body`, whose arguments and terminator operands must be
  /// scalars; `linalg.index` reads the index it names. Returns null and sets
  /// `message` when an op of the block has no float64 reference.
  static std::unique_ptr<ScalarProgram>
  compileBlock(Block &body, std::string context,
               std::vector<std::string> indexNames, std::string &message);

  /// Gives `value` a slot that the caller writes (see getSlot).
  unsigned addSlot(Value value);
  /// Compiles `op`, which has scalar operands and one scalar result, and
  /// appends its instruction (a constant is stored at once). An operand with
  /// no slot becomes a capture. Sets `message` on failure.
  LogicalResult compileOp(Operation &op, std::string &message);

  /// The slot of `value`, or -1 when it has none.
  int64_t lookupSlot(Value value) const;
  Scalar &getSlot(unsigned slot) { return slots[slot]; }
  const Scalar &getSlot(unsigned slot) const { return slots[slot]; }

  /// The values defined outside the compiled block and their slots.
  ArrayRef<std::pair<Value, unsigned>> getCaptures() const { return captures; }
  /// The slots of the terminator operands of the compiled block.
  ArrayRef<unsigned> getResultSlots() const { return resultSlots; }

  /// Runs the whole program with `args` in the argument slots and `indices`
  /// (one per index name) as the current indices; records the first
  /// undefined operation (see getError) and goes on with an arbitrary value.
  void run(ArrayRef<Scalar> args, ArrayRef<int64_t> indices);
  /// Executes only the instruction compiled from `op` (a function-level
  /// scalar op).
  void runOp(Operation *op);

  /// The message of the first undefined operation met (division by zero,
  /// out-of-range shift or float-to-integer conversion), or empty.
  const std::string &getError() const { return error; }

private:
  /// Records that `inst` is undefined for the current indices.
  void setUndefined(const ScalarInst &inst, const Twine &why);
  /// Executes one instruction; run and runOp round the results narrower
  /// than f32.
  void execute(const ScalarInst &inst);

  std::string context;
  std::vector<std::string> indexNames;
  std::vector<ScalarInst> insts;
  /// The slot values; constants are stored at compile time.
  std::vector<Scalar> slots;
  DenseMap<Value, unsigned> slotOf;
  /// The instruction of each op compiled by compileOp.
  DenseMap<Operation *, unsigned> instOf;
  std::vector<std::pair<Value, unsigned>> captures;
  /// (slot, index) for each linalg.index of the block.
  std::vector<std::pair<unsigned, unsigned>> indexSlots;
  std::vector<unsigned> resultSlots;
  std::vector<int64_t> currentIndices;
  std::string error;
};

} // namespace mlir::attn::runtime

#endif // ATTN_LIB_EVALUATION_SCALARPROGRAM_H
