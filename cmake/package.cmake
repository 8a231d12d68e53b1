# Installs the CMake package files: find_package(sdrs [1.x]) gives the imported target
# sdrs::sdrs (headers, and for a static libsdrs its private link dependencies).
include(CMakePackageConfigHelpers)

set(SDRS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sdrs)
get_target_property(SDRS_LIBRARY_TYPE sdrs TYPE)

install(EXPORT sdrsTargets NAMESPACE sdrs:: DESTINATION ${SDRS_CMAKE_DIR} FILE sdrsTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sdrsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/sdrsConfig.cmake INSTALL_DESTINATION ${SDRS_CMAKE_DIR})
# Product version 1.x: new minor versions only add API, so any 1.y >= the requested one fits.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/sdrsConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/sdrsConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/sdrsConfigVersion.cmake DESTINATION ${SDRS_CMAKE_DIR})
